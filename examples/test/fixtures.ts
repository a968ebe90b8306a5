import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A small WikiText-2-shaped corpus written by the test itself (never the real data): headings,
 * blank lines and paragraphs, in the `wiki.{train,valid}.tokens` layout of the wikitext-2-v1 config.
 */
export const makeWikitextDir = async (trainLines = 300, validLines = 60): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), "sg-wikitext-"));
  const words = [
    "the",
    "river",
    "castle",
    "army",
    "king",
    "song",
    "was",
    "built",
    "in",
    "1850",
    "by",
    "a",
    "new",
    "city",
    "of",
    "and",
    "@-@",
    "game",
    "released",
    "<unk>",
    "north",
    "album",
    "first",
    "season",
  ];
  const paragraph = (seed: number): string => {
    const n = 12 + (seed % 20);
    return ` ${Array.from({ length: n }, (_, i) => words[(seed * 7 + i * i * 3 + i) % words.length]).join(" ")} . \n`;
  };
  const file = (lines: number, offset: number): string => {
    let text = "";
    for (let i = 0; i < lines; i++) {
      if (i % 25 === 0) text += ` \n = Section ${offset + i} = \n \n`;
      text += paragraph(offset + i);
    }
    return text;
  };
  await writeFile(join(dir, "wiki.train.tokens"), file(trainLines, 0));
  await writeFile(join(dir, "wiki.valid.tokens"), file(validLines, 10_000));
  return dir;
};
