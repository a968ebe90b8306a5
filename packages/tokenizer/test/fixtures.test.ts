/**
 * Hand-written tokenizer.json files in Hugging Face's format, with the options our trainers never produce
 * (merges as "a b" strings, fields left to their defaults, added tokens with lstrip/rstrip/single_word
 * and normalized matching, prefix spaces, trimmed offsets, Sequence components, BertProcessing): they
 * load here and encode exactly as in HF.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { parseTokenizerJson } from "../src/index.js";
import { probeTexts } from "../src/test-utils/corpus.js";
import { HfTokenizer, hfEncode, trickyText, unicodeText } from "../src/test-utils/hf.js";

const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), "utf8");

const words = fc.string({
  unit: fc.constantFrom(
    ..."the world hello abc cats café Café ÀB , . ' \n\t".split(" "),
    " ",
    "<mask>",
    "<|endoftext|>",
    "[MASK]",
    "中",
    "hellohello",
  ),
  maxLength: 12,
});

describe.each(["legacy-bpe.tokenizer.json", "bert-uncased-style.tokenizer.json"])("fixture %s", (name) => {
  const json = fixture(name);
  const parsed = parseTokenizerJson(json);
  if (E.isLeft(parsed)) throw new Error(JSON.stringify(parsed.left));
  const ours = parsed.right;
  const theirs = HfTokenizer.fromString(json);

  it("encodes and decodes as Hugging Face does", async () => {
    const check = async (text: string) => {
      for (const addSpecialTokens of [true, false]) {
        const expected = await hfEncode(theirs, text, addSpecialTokens);
        expect({ text, ...ours.encode(text, { addSpecialTokens, offsets: true }) }).toEqual({
          text,
          ...expected,
        });
      }
      const ids = ours.encode(text).ids;
      for (const skip of [false, true])
        expect(ours.decode(ids, { skipSpecialTokens: skip })).toBe(await theirs.decode(ids, skip));
    };
    for (const text of probeTexts) await check(text);
    await fc.assert(fc.asyncProperty(fc.oneof(words, trickyText, unicodeText), check), { numRuns: 400 });
  });
});

describe("a legacy file", () => {
  it("reads merges written as strings, and fills in absent fields with HF's defaults", () => {
    const parsed = parseTokenizerJson(fixture("legacy-bpe.tokenizer.json"));
    if (E.isLeft(parsed)) throw new Error("fixture should load");
    const model = parsed.right.config.model;
    expect(model.type === "BPE" && model.merges[0]).toEqual(["Ġ", "t"]);
    expect(model.type === "BPE" && model.byte_fallback).toBe(false);
    // written back, merges are pairs, as HF writes them since 0.20
    expect(JSON.parse(parsed.right.toJson()).model.merges[0]).toEqual(["Ġ", "t"]);
  });
});
