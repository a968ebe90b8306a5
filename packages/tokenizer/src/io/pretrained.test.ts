import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { formatTokenizerError } from "../errors.js";
import { trainByteLevelBpe, trainWikitextWordLevel, trainWordPiece } from "../index.js";
import { testCorpus } from "../test-utils/corpus.js";
import {
  applyTokenizerSettings,
  hfSpecialTokensMap,
  hfTokenizerConfig,
  parseHfTokenizerConfig,
} from "./hf-tokenizer-config.js";
import { loadPretrainedTokenizer, savePretrainedTokenizer } from "./pretrained.js";
import { pythonJson } from "./python-json.js";

const wordPiece = trainWordPiece(testCorpus, { vocabSize: 300 });
const bpe = trainByteLevelBpe(testCorpus, { vocabSize: 300 });
const wordLevel = trainWikitextWordLevel(testCorpus);

const record = (content: string) => ({
  content,
  lstrip: false,
  normalized: false,
  rstrip: false,
  single_word: false,
});

describe("tokenizer_config.json and special_tokens_map.json as transformers 4.x writes them", () => {
  it("cased WordPiece: BertTokenizer with do_lower_case false and BERT's five special tokens", () => {
    expect(hfTokenizerConfig(wordPiece, { modelMaxLength: 128 })).toEqual({
      added_tokens_decoder: Object.fromEntries(
        ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"].map((t, i) => [
          String(i),
          { ...record(t), special: true },
        ]),
      ),
      clean_up_tokenization_spaces: false,
      cls_token: "[CLS]",
      do_lower_case: false,
      mask_token: "[MASK]",
      model_max_length: 128,
      pad_token: "[PAD]",
      sep_token: "[SEP]",
      strip_accents: null,
      tokenize_chinese_chars: true,
      tokenizer_class: "BertTokenizer",
      unk_token: "[UNK]",
    });
    expect(hfSpecialTokensMap(wordPiece)).toEqual({
      cls_token: record("[CLS]"),
      mask_token: record("[MASK]"),
      pad_token: record("[PAD]"),
      sep_token: record("[SEP]"),
      unk_token: record("[UNK]"),
    });
  });

  it("byte-level BPE: GPT2Tokenizer, <|endoftext|> as bos, eos and unk (HF's gpt2), add_prefix_space false", () => {
    const config = hfTokenizerConfig(bpe, { modelMaxLength: 1024 });
    expect(config).toMatchObject({
      add_prefix_space: false,
      bos_token: "<|endoftext|>",
      eos_token: "<|endoftext|>",
      unk_token: "<|endoftext|>",
      model_max_length: 1024,
      tokenizer_class: "GPT2Tokenizer",
      clean_up_tokenization_spaces: false,
    });
    expect(config).not.toHaveProperty("pad_token");
    expect(config).not.toHaveProperty("do_lower_case");
    expect(Object.keys(hfSpecialTokensMap(bpe)).sort()).toEqual(["bos_token", "eos_token", "unk_token"]);
  });

  it("word level: PreTrainedTokenizerFast with <eos> and <unk>; <unk> (a vocabulary word) as a plain string", () => {
    const config = hfTokenizerConfig(wordLevel, { modelMaxLength: 256 });
    expect(config).toMatchObject({
      tokenizer_class: "PreTrainedTokenizerFast",
      eos_token: "<eos>",
      unk_token: "<unk>",
    });
    expect(config).not.toHaveProperty("bos_token");
    expect(hfSpecialTokensMap(wordLevel)).toEqual({ eos_token: record("<eos>"), unk_token: "<unk>" });
  });

  it("refuses a model_max_length that is not a positive integer", () => {
    expect(() => hfTokenizerConfig(bpe, { modelMaxLength: 0 })).toThrow(/modelMaxLength/);
  });

  it('pythonJson sorts keys as Python strings ("10" before "2"), nests with two spaces, ends with a newline', () => {
    expect(pythonJson({ b: [1, { y: null, x: "é" }], a: { "2": true, "10": false }, e: {}, f: [] })).toBe(
      '{\n  "a": {\n    "10": false,\n    "2": true\n  },\n  "b": [\n    1,\n    {\n      "x": "é",\n      "y": null\n    }\n  ],\n  "e": {},\n  "f": []\n}\n',
    );
  });
});

describe("a tokenizer directory, written and read back", () => {
  const root = mkdtempSync(join(tmpdir(), "scratchgrad-pretrained-"));

  it.each([
    ["wordpiece", wordPiece],
    ["bpe", bpe],
    ["word-level", wordLevel],
  ] as const)("%s: three files, the same encodings, the settings read back", async (name, tok) => {
    const dir = join(root, name);
    const written = await savePretrainedTokenizer(tok, dir, { modelMaxLength: 64 })();
    expect(E.isRight(written)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual([
      "special_tokens_map.json",
      "tokenizer.json",
      "tokenizer_config.json",
    ]);
    const text = readFileSync(join(dir, "tokenizer_config.json"), "utf8");
    expect(text).toBe(pythonJson(JSON.parse(text)));
    const loaded = await loadPretrainedTokenizer(dir)();
    if (E.isLeft(loaded)) throw new Error(formatTokenizerError(loaded.left));
    expect(loaded.right.tokenizer.toJson()).toBe(tok.toJson());
    for (const line of testCorpus)
      expect(loaded.right.tokenizer.encode(line).ids).toEqual(tok.encode(line).ids);
    expect(loaded.right.settings?.modelMaxLength).toBe(64);
    expect(loaded.right.settings?.cleanUpTokenizationSpaces).toBe(false);
  });

  it("a BERT directory whose tokenizer_config.json lacks do_lower_case lowercases, as BertTokenizerFast does", async () => {
    const dir = join(root, "legacy-bert");
    await savePretrainedTokenizer(wordPiece, dir, { modelMaxLength: 64 })();
    writeFileSync(
      join(dir, "tokenizer_config.json"),
      JSON.stringify({ tokenizer_class: "BertTokenizerFast" }),
    );
    const loaded = await loadPretrainedTokenizer(dir)();
    if (E.isLeft(loaded)) throw new Error(formatTokenizerError(loaded.left));
    expect(loaded.right.tokenizer.config.normalizer).toMatchObject({ lowercase: true, strip_accents: null });
    const cased = wordPiece.encode("The Dog").tokens;
    expect(cased).toContain("The");
    expect(loaded.right.tokenizer.encode("The Dog").tokens).not.toContain("The");
  });

  it("special_tokens_map.json wins over tokenizer_config.json, and both token forms are read", () => {
    const settings = parseHfTokenizerConfig(
      {
        tokenizer_class: "GPT2Tokenizer",
        eos_token: "<a>",
        bos_token: { content: "<b>", __type: "AddedToken" },
      },
      { eos_token: { content: "<c>", lstrip: false } },
    );
    expect(E.isRight(settings) && settings.right.specialTokens).toEqual({
      bos_token: "<b>",
      eos_token: "<c>",
    });
  });

  it("GPT2Tokenizer's add_prefix_space is applied to the ByteLevel pre-tokenizer", () => {
    const settings = parseHfTokenizerConfig({ tokenizer_class: "GPT2TokenizerFast", add_prefix_space: true });
    if (E.isLeft(settings)) throw new Error("parse failed");
    const config = applyTokenizerSettings(bpe.config, settings.right);
    expect(config.pre_tokenizer).toMatchObject({ type: "ByteLevel", add_prefix_space: true });
    expect(applyTokenizerSettings(wordLevel.config, settings.right)).toBe(wordLevel.config);
  });

  it("errors name the file and the key; a missing tokenizer.json says what loads", async () => {
    const bad = parseHfTokenizerConfig({ do_lower_case: "no" });
    expect(E.isLeft(bad) && formatTokenizerError(bad.left)).toBe(
      'tokenizer_config.json: do_lower_case should be true or false, got string "no"',
    );
    const missing = await loadPretrainedTokenizer(join(root, "nothing-here"))();
    expect(E.isLeft(missing) && formatTokenizerError(missing.left)).toMatch(
      /no tokenizer\.json in .*vocab\.txt/,
    );
    const dir = join(root, "bad-json");
    await savePretrainedTokenizer(bpe, dir, { modelMaxLength: 64 })();
    writeFileSync(join(dir, "special_tokens_map.json"), "{");
    expect(await loadPretrainedTokenizer(dir)()).toMatchObject(E.left({ _tag: "InvalidJson" }));
  });
});
