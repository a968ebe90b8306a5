import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { formatTokenizerError } from "../errors.js";
import { trainByteLevelBpe, trainWordPiece } from "../index.js";
import { testCorpus } from "../test-utils/corpus.js";
import { savePretrainedTokenizer } from "./pretrained.js";
import { pretrainedTokenizerFiles, pretrainedTokenizerFromJson } from "./pretrained-files.js";

const tokenizers = [
  ["WordPiece", trainWordPiece(testCorpus, { vocabSize: 300 })],
  ["byte-level BPE", trainByteLevelBpe(testCorpus, { vocabSize: 300 })],
] as const;

describe.each(tokenizers)("%s tokenizer files without a file system", (_, tokenizer) => {
  it("are the files savePretrainedTokenizer writes, and read back to the same encodings", async () => {
    const files = pretrainedTokenizerFiles(tokenizer, { modelMaxLength: 64 });
    if (E.isLeft(files)) throw new Error(formatTokenizerError(files.left));
    const dir = mkdtempSync(join(tmpdir(), "sg-tok-files-"));
    expect(E.isRight(await savePretrainedTokenizer(tokenizer, dir, { modelMaxLength: 64 })())).toBe(true);
    for (const [name, text] of files.right) expect(readFileSync(join(dir, name), "utf8")).toBe(text);
    const json = (name: string) => JSON.parse(files.right.get(name)!);
    const loaded = pretrainedTokenizerFromJson(
      json("tokenizer.json"),
      json("tokenizer_config.json"),
      json("special_tokens_map.json"),
    );
    if (E.isLeft(loaded)) throw new Error(formatTokenizerError(loaded.left));
    for (const line of testCorpus.slice(0, 20))
      expect(loaded.right.tokenizer.encode(line).ids).toEqual(tokenizer.encode(line).ids);
  });
});
