import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { trainWordPiece } from "../index.js";
import { testCorpus } from "../test-utils/corpus.js";
import { loadTokenizer, saveTokenizer } from "./files.js";

describe("tokenizer files", () => {
  const dir = mkdtempSync(join(tmpdir(), "scratchgrad-tokenizer-files-"));
  const tok = trainWordPiece(testCorpus, { vocabSize: 300 });

  it("saves atomically (creating the folder, leaving no temporary file) and loads back", async () => {
    const path = join(dir, "nested", "tokenizer.json");
    expect(await saveTokenizer(tok, path)()).toEqual(E.right(undefined));
    expect(readdirSync(join(dir, "nested"))).toEqual(["tokenizer.json"]);
    const loaded = await loadTokenizer(path)();
    if (E.isLeft(loaded)) throw new Error("load failed");
    expect(loaded.right.encode("The lazy dog.").ids).toEqual(tok.encode("The lazy dog.").ids);
  });

  it("reports a missing file, a bad file and an unwritable path as Left values", async () => {
    expect(await loadTokenizer(join(dir, "missing.json"))()).toMatchObject(E.left({ _tag: "ReadFailed" }));
    writeFileSync(join(dir, "bad.json"), '{"model": {"type": "BPE"}}');
    expect(await loadTokenizer(join(dir, "bad.json"))()).toMatchObject(
      E.left({ _tag: "InvalidField", path: "model.vocab" }),
    );
    writeFileSync(join(dir, "file"), "");
    expect(await saveTokenizer(tok, join(dir, "file", "tokenizer.json"))()).toMatchObject(
      E.left({ _tag: "WriteFailed" }),
    );
  });
});
