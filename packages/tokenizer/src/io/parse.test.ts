import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { formatTokenizerError, type TokenizerError } from "../errors.js";
import { trainByteLevelBpe, trainWikitextWordLevel, trainWordPiece } from "../index.js";
import { testCorpus } from "../test-utils/corpus.js";
import { parseTokenizerConfig, parseTokenizerJson } from "./parse.js";

const bpe = trainByteLevelBpe(testCorpus, { vocabSize: 300, minFrequency: 1 });
const good = JSON.parse(bpe.toJson());

/** `good` with the field at `path` replaced (or deleted when `value` is undefined). */
const withField = (path: (string | number)[], value: unknown) => {
  const copy = structuredClone(good);
  let target = copy;
  for (const key of path.slice(0, -1)) target = target[key];
  if (value === undefined) delete target[path.at(-1)!];
  else target[path.at(-1)!] = value;
  return copy;
};

const errorOf = (value: unknown): TokenizerError => {
  const result = parseTokenizerConfig(value);
  if (E.isRight(result)) throw new Error("expected an error");
  return result.left;
};

describe("parseTokenizerJson", () => {
  it("reads back what toJson writes, for both models", () => {
    for (const tok of [bpe, trainWordPiece(testCorpus, { vocabSize: 300, minFrequency: 1 })]) {
      const again = parseTokenizerJson(tok.toJson());
      expect(E.isRight(again) && again.right.config).toEqual(tok.config);
    }
  });

  it("names the bad field", () => {
    expect(errorOf(withField(["model", "vocab"], null))).toEqual({
      _tag: "InvalidField",
      path: "model.vocab",
      expected: "an object",
      got: "null",
    });
    expect(errorOf(withField(["model", "merges", 3], ["Ġ"]))).toMatchObject({ path: "model.merges[3]" });
    expect(errorOf(withField(["model", "merges", 0], "a b c"))).toMatchObject({ path: "model.merges[0]" });
    expect(errorOf(withField(["model", "merges", 1], ["Ġ", "nope"]))).toMatchObject({
      _tag: "InvalidField",
      path: "model.merges[1]",
    });
    expect(errorOf(withField(["added_tokens", 0, "id"], -1))).toMatchObject({ path: "added_tokens[0].id" });
    expect(errorOf(withField(["model", "vocab", "Ġ"], 1.5))).toMatchObject({ path: 'model.vocab["Ġ"]' });
    expect(errorOf(withField(["pre_tokenizer", "use_regex"], "yes"))).toMatchObject({
      path: "pre_tokenizer.use_regex",
      expected: "true or false",
    });
    expect(errorOf(withField(["model"], undefined))).toMatchObject({
      path: "model",
      got: "nothing (the field is missing)",
    });
    expect(errorOf(withField(["model", "dropout"], 0.1))).toMatchObject({ path: "model.dropout" });
  });

  it("says which component types are supported", () => {
    const e = errorOf(withField(["normalizer"], { type: "Precompiled", precompiled_charsmap: "" }));
    expect(e).toEqual({
      _tag: "UnsupportedComponent",
      path: "normalizer.type",
      type: "Precompiled",
      supported: ["BertNormalizer", "Lowercase", "StripAccents", "Sequence"],
    });
    expect(formatTokenizerError(e)).toBe(
      'tokenizer.json: normalizer.type "Precompiled" is not supported (supported: BertNormalizer, Lowercase, StripAccents, Sequence)',
    );
  });

  it("checks WordPiece's unknown token and TemplateProcessing's special tokens", () => {
    const wp = JSON.parse(trainWordPiece(testCorpus, { vocabSize: 300 }).toJson());
    wp.model.unk_token = "<unk>";
    expect(errorOf(wp)).toMatchObject({ path: "model.unk_token" });
    wp.model.unk_token = "[UNK]";
    wp.post_processor.special_tokens["[CLS]"] = undefined;
    expect(errorOf(JSON.parse(JSON.stringify(wp)))).toMatchObject({
      path: "post_processor.single[0].SpecialToken.id",
    });
  });

  it("reads WordLevel models as HF does: vocab and unk_token required, unk_token not necessarily in vocab", () => {
    const wl = JSON.parse(trainWikitextWordLevel(testCorpus).toJson());
    const again = parseTokenizerJson(JSON.stringify(wl));
    expect(E.isRight(again) && again.right.toJson()).toBe(JSON.stringify(wl, null, 2));
    const model = (m: unknown) => errorOf({ ...wl, model: m });
    expect(model({ type: "WordLevel", vocab: { a: 0 } })).toMatchObject({
      path: "model.unk_token",
      got: "nothing (the field is missing)",
    });
    expect(model({ type: "WordLevel", unk_token: "<unk>" })).toMatchObject({ path: "model.vocab" });
    expect(model({ type: "WordLevel", vocab: { a: 0 }, unk_token: null })).toMatchObject({
      path: "model.unk_token",
      expected: "a string",
    });
    const closed = parseTokenizerConfig({
      ...wl,
      model: { type: "WordLevel", vocab: { a: 0 }, unk_token: "<unk>" },
    });
    expect(E.isRight(closed)).toBe(true);
    expect(model({ type: "Unigram", vocab: [] })).toMatchObject({
      _tag: "UnsupportedComponent",
      supported: ["BPE", "WordPiece", "WordLevel"],
    });
  });

  it("rejects text that is not JSON, and a ByteLevel step before others in a Sequence", () => {
    expect(parseTokenizerJson("{")).toMatchObject(E.left({ _tag: "InvalidJson" }));
    const sequence = withField(["pre_tokenizer"], {
      type: "Sequence",
      pretokenizers: [{ type: "ByteLevel" }, { type: "WhitespaceSplit" }],
    });
    expect(errorOf(sequence)).toMatchObject({ path: "pre_tokenizer.pretokenizers[0]" });
  });

  it("accepts merges written as strings and fills HF's defaults", () => {
    const legacy = withField(
      ["model", "merges"],
      good.model.merges.map(([a, b]: string[]) => `${a} ${b}`),
    );
    delete legacy.model.ignore_merges;
    delete legacy.pre_tokenizer.use_regex;
    const result = parseTokenizerConfig(legacy);
    expect(E.isRight(result) && result.right).toEqual(bpe.config);
  });

  it("keeps integer-like tokens in id order when writing", () => {
    const numbers = trainByteLevelBpe(["2024 2024 2024 1999 1999"], { vocabSize: 300, minFrequency: 1 });
    const json = numbers.toJson();
    expect(json.indexOf('"<|endoftext|>": 0')).toBeLessThan(json.indexOf('"0": '));
  });
});
