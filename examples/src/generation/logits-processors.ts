/**
 * Hugging Face's logits processors for decoding: each takes the next-token logits and the sequence so
 * far (prompt + generated, HF's `input_ids`) and returns new logits, a banned token becoming −∞. They
 * run before the sampling warpers, in greedy decoding too, in HF's order: repetition penalty →
 * no-repeat n-gram → bad words → min new tokens (`GenerationMixin._get_logits_processor`).
 */
import type { Logits } from "./sampling.js";

/** What a processor sees besides the logits. */
export interface ProcessorContext {
  /** The whole sequence so far: prompt then generated tokens (HF's `input_ids` row). */
  readonly ids: readonly number[];
  /** How many of `ids` are the prompt. */
  readonly promptLength: number;
}

/** One logits processor: new logits, the input untouched. */
export type LogitsProcessor = (logits: Logits, context: ProcessorContext) => Float64Array;

/** HF's GenerationConfig names (camelCase) for the processors; absent fields are HF's defaults (off). */
export interface LogitsProcessorOptions {
  /** > 1 discourages tokens already in the sequence (CTRL, Keskar et al. 2019); 1: off. */
  readonly repetitionPenalty?: number;
  /** No n-gram of this size may occur twice in the sequence; 0: off. */
  readonly noRepeatNgramSize?: number;
  /** Token sequences never to generate (HF `bad_words_ids`); a one-token entry bans that token outright. */
  readonly badWordsIds?: readonly (readonly number[])[];
  /** End-of-sequence is banned until this many tokens have been generated; 0: off. */
  readonly minNewTokens?: number;
  /** The end-of-sequence token (for `minNewTokens`, and never banned by `badWordsIds`). */
  readonly eosTokenId?: number;
}

const NEG_INF = Number.NEGATIVE_INFINITY;

/**
 * HF's RepetitionPenaltyLogitsProcessor: every token that occurs in the sequence (prompt included) has
 * its logit divided by `penalty` if positive and multiplied by it if negative — both make the token
 * less likely when penalty > 1. Each token is penalized once, however often it occurs.
 * @example repetitionPenalty(2)([4, -1, 3], { ids: [0, 1, 0], promptLength: 3 }) // [2, -2, 3]
 */
export const repetitionPenalty =
  (penalty: number): LogitsProcessor =>
  (logits, { ids }) => {
    if (!(penalty > 0)) throw new RangeError(`repetition penalty must be > 0, got ${penalty}`);
    const out = Float64Array.from(logits);
    for (const id of new Set(ids)) {
      const x = logits[id];
      if (x !== undefined) out[id] = x < 0 ? x * penalty : x / penalty;
    }
    return out;
  };

/**
 * HF's NoRepeatNGramLogitsProcessor: with the sequence's last n − 1 tokens as a prefix, every token
 * that completed that prefix earlier in the sequence is banned, so no n-gram occurs twice. (n = 1 bans
 * every token already present.)
 * @example noRepeatNgram(2)([0, 0, 0], { ids: [1, 2, 1], promptLength: 3 }) // [0, 0, -Infinity]
 */
export const noRepeatNgram =
  (n: number): LogitsProcessor =>
  (logits, { ids }) => {
    const out = Float64Array.from(logits);
    // HF: nothing to ban until the sequence holds a full n − 1 prefix plus one earlier n-gram
    if (n <= 0 || ids.length + 1 < n) return out;
    const start = ids.length - (n - 1);
    for (let i = 0; i + n <= ids.length; i++) {
      let same = true;
      for (let k = 0; k < n - 1 && same; k++) same = ids[i + k] === ids[start + k];
      if (same) {
        const banned = ids[i + n - 1]!;
        if (banned < out.length) out[banned] = NEG_INF;
      }
    }
    return out;
  };

/**
 * HF's NoBadWordsLogitsProcessor: a one-token bad word is always banned; a longer one bans its last
 * token when the sequence ends with the rest of it. Bad words equal to `[eosTokenId]` are dropped (HF
 * never bans the end of sequence this way). Ids outside the vocabulary are an error, as in HF.
 * @example badWords([[3], [1, 2]])([0, 0, 0, 0], { ids: [5, 1], promptLength: 2 }) // [0, 0, -Infinity, -Infinity]
 */
export const badWords =
  (badWordsIds: readonly (readonly number[])[], eosTokenId?: number): LogitsProcessor =>
  (logits, { ids }) => {
    const out = Float64Array.from(logits);
    for (const word of badWordsIds) {
      if (word.length === 0) throw new RangeError("bad_words_ids: an entry is empty");
      for (const id of word)
        if (!Number.isInteger(id) || id < 0 || id >= logits.length)
          throw new RangeError(
            `bad_words_ids: ${id} is not a token id of this vocabulary (0..${logits.length - 1})`,
          );
      if (word.length === 1 && word[0] === eosTokenId) continue;
      const prefix = word.length - 1;
      if (prefix > ids.length) continue;
      let matches = true;
      for (let k = 0; k < prefix && matches; k++) matches = ids[ids.length - prefix + k] === word[k];
      if (matches) out[word[prefix]!] = NEG_INF;
    }
    return out;
  };

/**
 * HF's MinNewTokensLengthLogitsProcessor: while fewer than `minNewTokens` tokens follow the prompt,
 * `eosTokenId` is banned.
 * @example minNewTokens(2, 0)([1, 1], { ids: [7, 5], promptLength: 1 }) // [-Infinity, 1]
 */
export const minNewTokens =
  (min: number, eosTokenId: number | undefined): LogitsProcessor =>
  (logits, { ids, promptLength }) => {
    const out = Float64Array.from(logits);
    if (eosTokenId !== undefined && ids.length - promptLength < min && eosTokenId < out.length)
      out[eosTokenId] = NEG_INF;
    return out;
  };

/**
 * The processors `options` turn on, composed in HF's order; with none on, the identity (a copy).
 * @example logitsProcessors({ repetitionPenalty: 1.2, noRepeatNgramSize: 3 })(logits, { ids, promptLength })
 */
export const logitsProcessors = (options: LogitsProcessorOptions): LogitsProcessor => {
  const steps: LogitsProcessor[] = [];
  if (options.repetitionPenalty !== undefined && options.repetitionPenalty !== 1)
    steps.push(repetitionPenalty(options.repetitionPenalty));
  if (options.noRepeatNgramSize) steps.push(noRepeatNgram(options.noRepeatNgramSize));
  if (options.badWordsIds?.length) steps.push(badWords(options.badWordsIds, options.eosTokenId));
  if (options.minNewTokens) steps.push(minNewTokens(options.minNewTokens, options.eosTokenId));
  return (logits, context) =>
    steps.reduce<Logits>((acc, step) => step(acc, context), Float64Array.from(logits)) as Float64Array;
};
