/**
 * Hugging Face's fill-mask pipeline as a function: for each [MASK] of a text, the most likely tokens
 * with their probabilities and the text with each filled in. Used by the fill-mask CLI and the
 * playground.
 */
import { type BertModel, type BertParams, evalContext } from "@scratchgrad/nn";
import { fromTypedArray, scope } from "@scratchgrad/tensor";
import type { Tokenizer } from "@scratchgrad/tokenizer";
import { softmax } from "./sampling.js";

/** One candidate for a mask, as HF's pipeline reports it. */
export interface FillMaskCandidate {
  /** Probability of the token at this mask (softmax over the vocabulary). */
  readonly score: number;
  readonly token: number;
  readonly tokenStr: string;
  /** The text with this mask filled in (other masks left as [MASK]). */
  readonly sequence: string;
}

/** The candidates of one [MASK], most likely first. */
export interface MaskPrediction {
  /** Position of the mask in the encoded input (with [CLS] at 0). */
  readonly position: number;
  readonly candidates: readonly FillMaskCandidate[];
}

/**
 * The `topK` most likely tokens at every [MASK] of `text`. Throws a RangeError when the text has no
 * [MASK] or is longer than the model's positions.
 * @example fillMask(bert(config), params, tokenizer, "Paris is the [MASK] of France .", 5)[0].candidates[0].tokenStr
 */
export const fillMask = (
  model: BertModel,
  params: BertParams,
  tokenizer: Tokenizer,
  text: string,
  topK: number,
): MaskPrediction[] => {
  const mask = tokenizer.maskTokenId;
  if (mask === undefined) throw new RangeError("the tokenizer has no [MASK] token");
  const ids = tokenizer.encode(text).ids;
  const positions = ids.flatMap((id, i) => (id === mask ? [i] : []));
  if (positions.length === 0) throw new RangeError(`no [MASK] in the text; e.g. "The [MASK] began ."`);
  const limit = model.config.max_position_embeddings;
  if (ids.length > limit)
    throw new RangeError(`the text is ${ids.length} tokens, more than the model's ${limit} positions`);
  const T = ids.length;
  const logits = scope(
    () =>
      model
        .apply(params, { inputIds: fromTypedArray(Int32Array.from(ids), [1, T], "int32") }, evalContext)
        .data() as Float32Array,
  ); // [1 * T * V]
  const V = logits.length / T;
  // [CLS], [SEP] and padding are left out of the shown sequence; other masks stay visible
  const hidden = new Set([tokenizer.clsTokenId, tokenizer.sepTokenId, tokenizer.padTokenId]);
  return positions.map((position) => {
    const probs = softmax(logits.subarray(position * V, (position + 1) * V));
    const top = Array.from({ length: V }, (_, i) => i)
      .sort((a, b) => probs[b]! - probs[a]! || a - b)
      .slice(0, topK);
    return {
      position,
      candidates: top.map((token) => {
        const filled = ids.map((id, i) => (i === position ? token : id)).filter((id) => !hidden.has(id));
        return {
          score: probs[token]!,
          token,
          tokenStr: tokenizer.decode([token]),
          sequence: tokenizer.decode(filled),
        };
      }),
    };
  });
};
