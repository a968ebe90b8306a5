import * as E from "fp-ts/lib/Either.js";
import type {
  AddedTokenConfig,
  DecoderConfig,
  ModelConfig,
  NormalizerConfig,
  PostProcessorConfig,
  PreTokenizerConfig,
  TemplatePiece,
  TokenizerConfig,
} from "../config.js";
import { invalidField, type TokenizerError } from "../errors.js";
import { type Tokenizer, tokenizerFromConfig } from "../tokenizer.js";

/** Thrown inside this module only; `parseTokenizerConfig` turns it into a Left. */
class ParseFailure {
  constructor(readonly error: TokenizerError) {}
}

const fail = (path: string, expected: string, value: unknown): never => {
  throw new ParseFailure(invalidField(path, expected, value));
};

const unsupported = (path: string, type: string, supported: readonly string[]): never => {
  throw new ParseFailure({ _tag: "UnsupportedComponent", path, type, supported });
};

type Json = Record<string, unknown>;
type Read<A> = (value: unknown, path: string) => A;

const object: Read<Json> = (v, path) =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : fail(path, "an object", v);
const string: Read<string> = (v, path) => (typeof v === "string" ? v : fail(path, "a string", v));
const boolean: Read<boolean> = (v, path) => (typeof v === "boolean" ? v : fail(path, "true or false", v));
const id: Read<number> = (v, path) =>
  Number.isInteger(v) && (v as number) >= 0 ? (v as number) : fail(path, "a non-negative integer", v);
const array =
  <A>(item: Read<A>): Read<A[]> =>
  (v, path) =>
    Array.isArray(v) ? v.map((x, i) => item(x, `${path}[${i}]`)) : fail(path, "an array", v);
const nullable =
  <A>(read: Read<A>): Read<A | null> =>
  (v, path) =>
    v === null ? null : read(v, path);

/** `obj[key]` read with `read`, or `fallback` (HF's serde default) when the key is absent. */
const field = <A>(obj: Json, key: string, path: string, read: Read<A>, fallback?: A): A => {
  const v = obj[key];
  if (v === undefined && fallback !== undefined) return fallback;
  return read(v, path ? `${path}.${key}` : key);
};

const typeOf = (obj: Json, path: string, supported: readonly string[]): string => {
  const type = field(obj, "type", path, string);
  return supported.includes(type) ? type : unsupported(`${path}.type`, type, supported);
};

const addedToken: Read<AddedTokenConfig> = (v, path) => {
  const o = object(v, path);
  const special = field(o, "special", path, boolean, false);
  return {
    id: field(o, "id", path, id),
    content: field(o, "content", path, string),
    single_word: field(o, "single_word", path, boolean, false),
    lstrip: field(o, "lstrip", path, boolean, false),
    rstrip: field(o, "rstrip", path, boolean, false),
    normalized: field(o, "normalized", path, boolean, !special),
    special,
  };
};

const normalizer: Read<NormalizerConfig> = (v, path) => {
  const o = object(v, path);
  const type = typeOf(o, path, ["BertNormalizer", "Lowercase", "StripAccents", "Sequence"]);
  switch (type) {
    case "BertNormalizer":
      return {
        type,
        clean_text: field(o, "clean_text", path, boolean, true),
        handle_chinese_chars: field(o, "handle_chinese_chars", path, boolean, true),
        strip_accents: field(o, "strip_accents", path, nullable(boolean), null),
        lowercase: field(o, "lowercase", path, boolean, true),
      };
    case "Sequence":
      return { type, normalizers: field(o, "normalizers", path, array(normalizer)) };
    default:
      return { type: type as "Lowercase" | "StripAccents" };
  }
};

const byteLevelFields = (o: Json, path: string) => ({
  add_prefix_space: field(o, "add_prefix_space", path, boolean, true),
  trim_offsets: field(o, "trim_offsets", path, boolean, true),
  use_regex: field(o, "use_regex", path, boolean, true),
});

const containsByteLevel = (p: PreTokenizerConfig): boolean =>
  p.type === "ByteLevel" || (p.type === "Sequence" && p.pretokenizers.some(containsByteLevel));

const preTokenizer: Read<PreTokenizerConfig> = (v, path) => {
  const o = object(v, path);
  const type = typeOf(o, path, ["ByteLevel", "BertPreTokenizer", "WhitespaceSplit", "Sequence"]);
  switch (type) {
    case "ByteLevel":
      return { type, ...byteLevelFields(o, path) };
    case "Sequence": {
      const steps = field(o, "pretokenizers", path, array(preTokenizer));
      steps.forEach((step, i) => {
        const lastPlain = i === steps.length - 1 && step.type === "ByteLevel" && !step.add_prefix_space;
        if (containsByteLevel(step) && !lastPlain) {
          fail(
            `${path}.pretokenizers[${i}]`,
            "ByteLevel only as the last step of a Sequence, with add_prefix_space false",
            step,
          );
        }
      });
      return { type, pretokenizers: steps };
    }
    default:
      return { type: type as "BertPreTokenizer" | "WhitespaceSplit" };
  }
};

const templatePiece: Read<TemplatePiece> = (v, path) => {
  const o = object(v, path);
  if (o.SpecialToken !== undefined) {
    const s = object(o.SpecialToken, `${path}.SpecialToken`);
    const p = `${path}.SpecialToken`;
    return { SpecialToken: { id: field(s, "id", p, string), type_id: field(s, "type_id", p, id, 0) } };
  }
  if (o.Sequence !== undefined) {
    const s = object(o.Sequence, `${path}.Sequence`);
    const p = `${path}.Sequence`;
    const which = field(s, "id", p, string);
    if (which !== "A" && which !== "B") fail(`${p}.id`, '"A" or "B"', which);
    return { Sequence: { id: which as "A" | "B", type_id: field(s, "type_id", p, id, 0) } };
  }
  return fail(path, 'an object with "SpecialToken" or "Sequence"', v);
};

const tokenAndId: Read<readonly [string, number]> = (v, path) => {
  if (!Array.isArray(v) || v.length !== 2) return fail(path, "a [token, id] pair", v);
  return [string(v[0], `${path}[0]`), id(v[1], `${path}[1]`)];
};

const postProcessor: Read<PostProcessorConfig> = (v, path) => {
  const o = object(v, path);
  const type = typeOf(o, path, ["ByteLevel", "TemplateProcessing", "BertProcessing"]);
  switch (type) {
    case "ByteLevel":
      return { type, ...byteLevelFields(o, path) };
    case "BertProcessing":
      return { type, sep: field(o, "sep", path, tokenAndId), cls: field(o, "cls", path, tokenAndId) };
    default: {
      const single = field(o, "single", path, array(templatePiece));
      const pair = field(o, "pair", path, array(templatePiece), []);
      const specialsPath = `${path}.special_tokens`;
      const specials = object(o.special_tokens ?? {}, specialsPath);
      const special_tokens = Object.fromEntries(
        Object.entries(specials).map(([key, entry]) => {
          const p = `${specialsPath}[${JSON.stringify(key)}]`;
          const e = object(entry, p);
          const ids = field(e, "ids", p, array(id));
          const tokens = field(e, "tokens", p, array(string));
          if (ids.length !== tokens.length)
            fail(`${p}.tokens`, `as many tokens as ids (${ids.length})`, tokens);
          return [key, { id: field(e, "id", p, string, key), ids, tokens }];
        }),
      );
      for (const [name, template] of [
        ["single", single],
        ["pair", pair],
      ] as const) {
        template.forEach((piece, i) => {
          if ("SpecialToken" in piece && !Object.hasOwn(special_tokens, piece.SpecialToken.id)) {
            fail(`${path}.${name}[${i}].SpecialToken.id`, "a key of special_tokens", piece.SpecialToken.id);
          }
        });
      }
      return { type: "TemplateProcessing", single, pair, special_tokens };
    }
  }
};

const decoder: Read<DecoderConfig> = (v, path) => {
  const o = object(v, path);
  const type = typeOf(o, path, ["ByteLevel", "WordPiece"]);
  if (type === "ByteLevel") return { type, ...byteLevelFields(o, path) };
  return {
    type: "WordPiece",
    prefix: field(o, "prefix", path, string, "##"),
    cleanup: field(o, "cleanup", path, boolean, true),
  };
};

/** Ids are packed two to a number in the BPE model (see models/bpe.ts), which bounds them. */
const MAX_ID = 0x200000;

const vocabulary: Read<Record<string, number>> = (v, path) => {
  const o = object(v, path);
  for (const token of Object.keys(o)) {
    const value = id(o[token], `${path}[${JSON.stringify(token)}]`);
    if (value >= MAX_ID) fail(`${path}[${JSON.stringify(token)}]`, `an id below ${MAX_ID}`, value);
  }
  return o as Record<string, number>;
};

/** A merge rule, written either `"a b"` (older HF files) or `["a", "b"]` (HF since 0.20). */
const merge: Read<readonly [string, string]> = (v, path) => {
  if (typeof v === "string") {
    const parts = v.split(" ");
    return parts.length === 2
      ? [parts[0]!, parts[1]!]
      : fail(path, 'a merge "a b" with exactly one space', v);
  }
  if (Array.isArray(v) && v.length === 2) return [string(v[0], `${path}[0]`), string(v[1], `${path}[1]`)];
  return fail(path, 'a merge, "a b" or ["a", "b"]', v);
};

const model: Read<ModelConfig> = (v, path) => {
  const o = object(v, path);
  const type = typeOf(o, path, ["BPE", "WordPiece", "WordLevel"]);
  const vocab = field(o, "vocab", path, vocabulary);
  const has = (token: string) => Object.hasOwn(vocab, token);
  if (type === "WordLevel") {
    // Both fields are required, as in HF; the unknown token need not be in the vocabulary (HF only fails
    // when an unknown word is encoded).
    return { type: "WordLevel", vocab, unk_token: field(o, "unk_token", path, string) };
  }
  if (type === "WordPiece") {
    const unk_token = field(o, "unk_token", path, string, "[UNK]");
    if (!has(unk_token)) fail(`${path}.unk_token`, "a token of model.vocab", unk_token);
    return {
      type: "WordPiece",
      unk_token,
      continuing_subword_prefix: field(o, "continuing_subword_prefix", path, string, "##"),
      max_input_chars_per_word: field(o, "max_input_chars_per_word", path, id, 100),
      vocab,
    };
  }
  const dropout = field(
    o,
    "dropout",
    path,
    (x, p) => (x === null ? null : fail(p, "null (BPE dropout is not supported)", x)),
    null,
  );
  const unk_token = field(o, "unk_token", path, nullable(string), null);
  if (unk_token !== null && !has(unk_token))
    fail(`${path}.unk_token`, "null or a token of model.vocab", unk_token);
  const continuing_subword_prefix = field(o, "continuing_subword_prefix", path, nullable(string), null);
  const prefixLength = (continuing_subword_prefix ?? "").length;
  const merges = field(o, "merges", path, array(merge), []);
  merges.forEach(([a, b], i) => {
    const merged = `${a}${b.slice(prefixLength)}`;
    for (const token of [a, b, merged]) {
      if (!has(token))
        fail(`${path}.merges[${i}]`, `a merge of tokens in model.vocab ("${token}" is not)`, [a, b]);
    }
  });
  return {
    type: "BPE",
    dropout,
    unk_token,
    continuing_subword_prefix,
    end_of_word_suffix: field(o, "end_of_word_suffix", path, nullable(string), null),
    fuse_unk: field(o, "fuse_unk", path, boolean, false),
    byte_fallback: field(o, "byte_fallback", path, boolean, false),
    ignore_merges: field(o, "ignore_merges", path, boolean, false),
    vocab,
    merges,
  };
};

const tokenizerConfig: Read<TokenizerConfig> = (v, path) => {
  const o = object(v, path);
  return {
    version: field(o, "version", path, string, "1.0"),
    truncation: o.truncation ?? null,
    padding: o.padding ?? null,
    added_tokens: field(o, "added_tokens", path, array(addedToken), []),
    normalizer: field(o, "normalizer", path, nullable(normalizer), null),
    pre_tokenizer: field(o, "pre_tokenizer", path, nullable(preTokenizer), null),
    post_processor: field(o, "post_processor", path, nullable(postProcessor), null),
    decoder: field(o, "decoder", path, nullable(decoder), null),
    model: field(o, "model", path, model),
  };
};

/**
 * Checks a parsed tokenizer.json object and fills in HF's defaults for absent fields.
 *
 * @example
 * parseTokenizerConfig({ model: { type: "WordPiece", vocab: { "[UNK]": 0 } } }); // Right(config)
 * parseTokenizerConfig({ model: { type: "Unigram" } });
 * // Left({ _tag: "UnsupportedComponent", path: "model.type", type: "Unigram", supported: ["BPE", "WordPiece", "WordLevel"] })
 */
export const parseTokenizerConfig = (value: unknown): E.Either<TokenizerError, TokenizerConfig> => {
  try {
    return E.right(tokenizerConfig(value, ""));
  } catch (e) {
    if (e instanceof ParseFailure) return E.left(e.error);
    throw e;
  }
};

/**
 * Reads a tokenizer.json text (Hugging Face's format, as written by `tokenizer.save(...)` or by
 * `toJson`): a Right with the tokenizer, or a Left naming the field that is wrong.
 *
 * @example
 * const result = parseTokenizerJson(readFileSync("tokenizer.json", "utf8"));
 * if (E.isLeft(result)) console.error(formatTokenizerError(result.left));
 */
export const parseTokenizerJson = (text: string): E.Either<TokenizerError, Tokenizer> => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return E.left({ _tag: "InvalidJson", message: (e as Error).message });
  }
  return E.map(tokenizerFromConfig)(parseTokenizerConfig(value));
};
