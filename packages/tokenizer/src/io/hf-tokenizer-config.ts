/**
 * transformers' `tokenizer_config.json` and `special_tokens_map.json`: the two files `save_pretrained`
 * writes beside tokenizer.json, which `AutoTokenizer.from_pretrained(dir)` reads to pick the tokenizer
 * class and its settings. Without them HF guesses, and a guess can change the tokenizer:
 * `BertTokenizerFast`'s default `do_lower_case=True` rewrites a cased BertNormalizer into a lowercasing
 * one. We write what transformers 4.x writes (its layout: keys sorted, two-space indent) and read both
 * files back, applying the class settings to tokenizer.json the way HF's fast classes do.
 */
import * as E from "fp-ts/lib/Either.js";
import type { AddedTokenConfig, NormalizerConfig, PreTokenizerConfig, TokenizerConfig } from "../config.js";
import { invalidField, type TokenizerError } from "../errors.js";
import type { Tokenizer } from "../tokenizer.js";

/**
 * The `tokenizer_class` we write. transformers drops the `Fast` suffix when saving a fast tokenizer
 * (`GPT2TokenizerFast` is written `GPT2Tokenizer`) except for `PreTrainedTokenizerFast`; `AutoTokenizer`
 * adds it back and loads the fast class.
 */
export type TokenizerClass = "GPT2Tokenizer" | "BertTokenizer" | "PreTrainedTokenizerFast";

/** HF's special-token attributes, in `SPECIAL_TOKENS_ATTRIBUTES` order (less `additional_special_tokens`). */
export const SPECIAL_TOKEN_KEYS = [
  "bos_token",
  "eos_token",
  "unk_token",
  "sep_token",
  "pad_token",
  "cls_token",
  "mask_token",
] as const;

/** One of HF's special-token attributes (`"eos_token"`). */
export type SpecialTokenKey = (typeof SPECIAL_TOKEN_KEYS)[number];

/** tokenizer_config.json, read: what a directory tells `AutoTokenizer` beyond tokenizer.json. */
export interface PretrainedTokenizerSettings {
  /** As written (`"BertTokenizer"`, `"BertTokenizerFast"`, …); absent: `undefined`. */
  readonly tokenizerClass: string | undefined;
  /** Longest input the model takes (its `n_positions`); HF writes 1e30 for "no limit". */
  readonly modelMaxLength: number | undefined;
  /** Python-side " ." → "." clean-up in `decode` (our `decode` never does it; we write false). */
  readonly cleanUpTokenizationSpaces: boolean | undefined;
  /** The special tokens by attribute; `null` where the file sets none. */
  readonly specialTokens: Readonly<Partial<Record<SpecialTokenKey, string | null>>>;
  /** BertTokenizer: lowercase (HF's default when absent: true). */
  readonly doLowerCase: boolean | undefined;
  /** BertTokenizer: strip accents; `null` follows `doLowerCase` (HF's default). */
  readonly stripAccents: boolean | null | undefined;
  /** BertTokenizer: put spaces around CJK ideographs (HF's default: true). */
  readonly tokenizeChineseChars: boolean | undefined;
  /** GPT2Tokenizer: prepend a space to the first word (HF's default: false). */
  readonly addPrefixSpace: boolean | undefined;
}

const isBertNormalizer = (
  n: NormalizerConfig | null,
): n is Extract<NormalizerConfig, { type: "BertNormalizer" }> => n?.type === "BertNormalizer";

/**
 * The transformers class for a tokenizer.json: byte-level BPE → `GPT2Tokenizer`, WordPiece with BERT's
 * normalizer → `BertTokenizer`, anything else (our word-level tokenizers) → `PreTrainedTokenizerFast`,
 * which takes tokenizer.json as it is.
 * @example tokenizerClassOf(trainWordPiece(lines, { vocabSize: 8192 }).config) // "BertTokenizer"
 */
export const tokenizerClassOf = (config: TokenizerConfig): TokenizerClass => {
  if (config.model.type === "BPE" && config.pre_tokenizer?.type === "ByteLevel") return "GPT2Tokenizer";
  if (config.model.type === "WordPiece" && isBertNormalizer(config.normalizer)) return "BertTokenizer";
  return "PreTrainedTokenizerFast";
};

const tokenOf = (tokenizer: Tokenizer, id: number | undefined): string | null =>
  id === undefined ? null : (tokenizer.idToToken(id) ?? null);

/**
 * The special tokens a tokenizer has, by HF attribute. GPT-2's `<|endoftext|>` is bos, eos and unk (as
 * in HF's gpt2); BERT's five are listed, `null` where absent, so HF's class defaults (`"[MASK]"`, …) do
 * not add tokens the vocabulary lacks; other tokenizers list the ones they have.
 * @example specialTokensOf(gpt2Tokenizer) // { bos_token: "<|endoftext|>", eos_token: "<|endoftext|>", unk_token: "<|endoftext|>" }
 */
export const specialTokensOf = (tokenizer: Tokenizer): Partial<Record<SpecialTokenKey, string | null>> => {
  const cls = tokenizerClassOf(tokenizer.config);
  const unk = tokenizer.unkTokenId === undefined ? null : tokenOf(tokenizer, tokenizer.unkTokenId);
  if (cls === "GPT2Tokenizer") {
    const eos = tokenOf(tokenizer, tokenizer.eosTokenId);
    const bos = tokenOf(tokenizer, tokenizer.bosTokenId) ?? eos;
    const pad = tokenOf(tokenizer, tokenizer.padTokenId);
    return {
      bos_token: bos,
      eos_token: eos,
      unk_token: unk ?? eos,
      ...(pad === null ? {} : { pad_token: pad }),
    };
  }
  const all: Record<SpecialTokenKey, string | null> = {
    bos_token: tokenOf(tokenizer, tokenizer.bosTokenId),
    eos_token: tokenOf(tokenizer, tokenizer.eosTokenId),
    unk_token: unk,
    sep_token: tokenOf(tokenizer, tokenizer.sepTokenId),
    pad_token: tokenOf(tokenizer, tokenizer.padTokenId),
    cls_token: tokenOf(tokenizer, tokenizer.clsTokenId),
    mask_token: tokenOf(tokenizer, tokenizer.maskTokenId),
  };
  if (cls === "BertTokenizer") {
    const { bos_token: _bos, eos_token: _eos, ...bert } = all;
    return bert;
  }
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== null));
};

/** An added token as HF's `AddedToken.__getstate__` writes it (`special` dropped in special_tokens_map). */
const addedTokenState = (t: AddedTokenConfig, withSpecial: boolean) => ({
  content: t.content,
  lstrip: t.lstrip,
  normalized: t.normalized,
  rstrip: t.rstrip,
  single_word: t.single_word,
  ...(withSpecial ? { special: t.special } : {}),
});

/** Options of `hfTokenizerConfig`. */
export interface HfTokenizerConfigOptions {
  /** The model's context (GPT-2 `n_positions`, BERT `max_position_embeddings`): HF's `model_max_length`. */
  readonly modelMaxLength: number;
}

/**
 * The tokenizer_config.json object transformers 4.x's `save_pretrained` writes for this tokenizer:
 * `tokenizer_class`, `model_max_length`, `clean_up_tokenization_spaces: false` (our decode does no
 * clean-up, so HF's decode matches ours), `added_tokens_decoder`, the special tokens, and the class
 * settings that must agree with tokenizer.json — BERT's `do_lower_case` / `strip_accents` /
 * `tokenize_chinese_chars` from its BertNormalizer (cased stays cased), GPT-2's `add_prefix_space`.
 * Write it with `pythonJson`.
 * @example hfTokenizerConfig(wordPiece, { modelMaxLength: 512 }).do_lower_case // false
 */
export const hfTokenizerConfig = (
  tokenizer: Tokenizer,
  options: HfTokenizerConfigOptions,
): Record<string, unknown> => {
  if (!Number.isInteger(options.modelMaxLength) || options.modelMaxLength <= 0)
    throw new RangeError(
      `hfTokenizerConfig: modelMaxLength must be a positive integer, got ${options.modelMaxLength}`,
    );
  const { config } = tokenizer;
  const tokenizerClass = tokenizerClassOf(config);
  const classSettings: Record<string, unknown> = {};
  if (tokenizerClass === "BertTokenizer" && isBertNormalizer(config.normalizer)) {
    classSettings.do_lower_case = config.normalizer.lowercase;
    classSettings.strip_accents = config.normalizer.strip_accents;
    classSettings.tokenize_chinese_chars = config.normalizer.handle_chinese_chars;
  }
  if (tokenizerClass === "GPT2Tokenizer" && config.pre_tokenizer?.type === "ByteLevel")
    classSettings.add_prefix_space = config.pre_tokenizer.add_prefix_space;
  return {
    ...classSettings,
    added_tokens_decoder: Object.fromEntries(
      config.added_tokens.map((t) => [String(t.id), addedTokenState(t, true)]),
    ),
    clean_up_tokenization_spaces: false,
    model_max_length: options.modelMaxLength,
    tokenizer_class: tokenizerClass,
    ...specialTokensOf(tokenizer),
  };
};

/**
 * The special_tokens_map.json object: each special token as an added-token record (`content`,
 * `lstrip`, `normalized`, `rstrip`, `single_word`) when tokenizer.json lists it among its added tokens,
 * else as its string; attributes without a token are left out, as HF does.
 * @example hfSpecialTokensMap(wordPiece).mask_token // { content: "[MASK]", lstrip: false, … }
 */
export const hfSpecialTokensMap = (tokenizer: Tokenizer): Record<string, unknown> => {
  const added = new Map(tokenizer.config.added_tokens.map((t) => [t.content, t]));
  const out: Record<string, unknown> = {};
  for (const [key, token] of Object.entries(specialTokensOf(tokenizer))) {
    if (token === null || token === undefined) continue;
    const record = added.get(token);
    out[key] = record ? addedTokenState(record, false) : token;
  }
  return out;
};

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** A special token as HF stores it: a string, `null`, or an AddedToken record with `content`. */
const specialToken = (v: unknown, key: string, file: string): E.Either<TokenizerError, string | null> => {
  if (v === null || typeof v === "string") return E.right(v);
  if (isObject(v) && typeof v.content === "string") return E.right(v.content);
  return E.left(invalidField(key, "a token string, null or an object with a string content", v, file));
};

const optional = <A>(
  o: Json,
  key: string,
  file: string,
  ok: (v: unknown) => v is A,
  expected: string,
): E.Either<TokenizerError, A | undefined> => {
  const v = o[key];
  if (v === undefined) return E.right(undefined);
  return ok(v) ? E.right(v) : E.left(invalidField(key, expected, v, file));
};

const isBoolean = (v: unknown): v is boolean => typeof v === "boolean";
const isNumber = (v: unknown): v is number => typeof v === "number" && v > 0;
const isString = (v: unknown): v is string => typeof v === "string";
const isBooleanOrNull = (v: unknown): v is boolean | null => v === null || typeof v === "boolean";

/**
 * Reads parsed tokenizer_config.json (and, if given, special_tokens_map.json, whose tokens win, as in
 * HF) into settings; unknown keys are ignored, known keys of the wrong type are a Left naming them.
 * @example parseHfTokenizerConfig({ tokenizer_class: "BertTokenizer", do_lower_case: false }) // Right(settings)
 */
export const parseHfTokenizerConfig = (
  tokenizerConfig: unknown,
  specialTokensMap?: unknown,
): E.Either<TokenizerError, PretrainedTokenizerSettings> => {
  const file = "tokenizer_config.json";
  if (!isObject(tokenizerConfig))
    return E.left(invalidField("(top level)", "an object", tokenizerConfig, file));
  if (specialTokensMap !== undefined && !isObject(specialTokensMap))
    return E.left(invalidField("(top level)", "an object", specialTokensMap, "special_tokens_map.json"));
  const specialTokens: Partial<Record<SpecialTokenKey, string | null>> = {};
  for (const [source, name] of [
    [tokenizerConfig, file],
    [specialTokensMap ?? {}, "special_tokens_map.json"],
  ] as const) {
    for (const key of SPECIAL_TOKEN_KEYS) {
      if (!(key in source)) continue;
      const token = specialToken(source[key], key, name);
      if (E.isLeft(token)) return token;
      specialTokens[key] = token.right;
    }
  }
  const o = tokenizerConfig;
  const fields = {
    tokenizerClass: optional(o, "tokenizer_class", file, isString, "a class name"),
    modelMaxLength: optional(o, "model_max_length", file, isNumber, "a positive number"),
    cleanUpTokenizationSpaces: optional(o, "clean_up_tokenization_spaces", file, isBoolean, "true or false"),
    doLowerCase: optional(o, "do_lower_case", file, isBoolean, "true or false"),
    stripAccents: optional(o, "strip_accents", file, isBooleanOrNull, "true, false or null"),
    tokenizeChineseChars: optional(o, "tokenize_chinese_chars", file, isBoolean, "true or false"),
    addPrefixSpace: optional(o, "add_prefix_space", file, isBoolean, "true or false"),
  };
  const out: Record<string, unknown> = { specialTokens };
  for (const [key, value] of Object.entries(fields)) {
    if (E.isLeft(value)) return value;
    out[key] = value.right;
  }
  return E.right(out as unknown as PretrainedTokenizerSettings);
};

/** The class named by a tokenizer_config.json, without HF's optional `Fast` suffix. */
const baseClass = (name: string | undefined): string | undefined =>
  name === "PreTrainedTokenizerFast" ? name : name?.replace(/Fast$/, "");

/**
 * tokenizer.json as transformers' fast class turns it after reading tokenizer_config.json:
 * `BertTokenizerFast` rebuilds a BertNormalizer whose `lowercase` / `strip_accents` /
 * `handle_chinese_chars` differ from `do_lower_case` (default true) / `strip_accents` (null) /
 * `tokenize_chinese_chars` (true); `GPT2TokenizerFast` sets the ByteLevel pre-tokenizer's
 * `add_prefix_space` (default false). Other classes take tokenizer.json unchanged.
 * @example applyTokenizerSettings(config, { ...settings, tokenizerClass: "BertTokenizer", doLowerCase: undefined }) // lowercasing
 */
export const applyTokenizerSettings = (
  config: TokenizerConfig,
  settings: PretrainedTokenizerSettings,
): TokenizerConfig => {
  const cls = baseClass(settings.tokenizerClass);
  if (cls === "BertTokenizer" && isBertNormalizer(config.normalizer)) {
    const lowercase = settings.doLowerCase ?? true;
    const strip = settings.stripAccents === undefined ? null : settings.stripAccents;
    const chinese = settings.tokenizeChineseChars ?? true;
    const n = config.normalizer;
    if (n.lowercase === lowercase && n.strip_accents === strip && n.handle_chinese_chars === chinese)
      return config;
    return {
      ...config,
      normalizer: { ...n, lowercase, strip_accents: strip, handle_chinese_chars: chinese },
    };
  }
  if (cls === "GPT2Tokenizer" && config.pre_tokenizer?.type === "ByteLevel") {
    const addPrefixSpace = settings.addPrefixSpace ?? false;
    if (config.pre_tokenizer.add_prefix_space === addPrefixSpace) return config;
    const pre: PreTokenizerConfig = { ...config.pre_tokenizer, add_prefix_space: addPrefixSpace };
    return { ...config, pre_tokenizer: pre };
  }
  return config;
};
