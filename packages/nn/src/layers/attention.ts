/**
 * Multi-head scaled dot-product attention over already-projected queries, keys and values, so GPT-2
 * (one fused c_attn projection) and BERT (separate query/key/value) share it while keeping their own
 * parameter names. Masks are additive: 0 where attention is allowed, `MASK_VALUE` where it is not.
 */
import {
  add,
  cast,
  fromTypedArray,
  matmul,
  mul,
  reshape,
  softmax,
  sub,
  swapAxes,
  type Tensor,
} from "@scratchgrad/tensor";
import type { ApplyContext } from "./context.js";
import { dropout } from "./dropout.js";

/**
 * Added to the scores of forbidden positions. Large enough that exp underflows to exactly 0 after the
 * softmax's max shift, small enough that adding two masks (causal + padding) stays finite, so a fully
 * masked row gives a uniform distribution rather than NaN (HF's finfo.min could sum to −∞).
 */
export const MASK_VALUE = -1e9;

/**
 * The causal mask [Tq, Tk], built on the host: query i (at absolute position `offset + i`) may attend
 * to keys 0..offset+i. `offset` defaults to Tk − Tq (the queries are the last Tq positions, as in
 * incremental decoding).
 * @example causalMask(3) // [[0, -1e9, -1e9], [0, 0, -1e9], [0, 0, 0]]
 */
export const causalMask = (tq: number, tk = tq, offset = tk - tq): Tensor => {
  const data = new Float32Array(tq * tk);
  for (let i = 0; i < tq; i++) for (let j = offset + i + 1; j < tk; j++) data[i * tk + j] = MASK_VALUE;
  return fromTypedArray(data, [tq, tk], "float32");
};

/**
 * The padding mask [B, 1, 1, T] from an attention mask [B, T] (1 = real token, 0 = padding; int32,
 * bool or float32), broadcasting over heads and query positions: keys that are padding get MASK_VALUE.
 * @example paddingMask(tensor([[1, 1, 0]], undefined, "int32")) // [[[[0, 0, -1e9]]]]
 */
export const paddingMask = (attentionMask: Tensor): Tensor => {
  const [b, t] = attentionMask.shape as [number, number];
  const blocked = sub(1, cast(attentionMask, "float32")); // 1 on padding
  return reshape(mul(blocked, MASK_VALUE), [b, 1, 1, t]);
};

/** [B, T, C] → [B, H, T, C/H]. @example splitHeads(q, 12) */
export const splitHeads = (x: Tensor, nHead: number): Tensor => {
  const [b, t, c] = x.shape as [number, number, number];
  return swapAxes(reshape(x, [b, t, nHead, c / nHead]), 1, 2);
};

/** [B, H, T, D] → [B, T, H·D]. @example mergeHeads(y) */
export const mergeHeads = (x: Tensor): Tensor => {
  const [b, h, t, d] = x.shape as [number, number, number, number];
  return reshape(swapAxes(x, 1, 2), [b, t, h * d]);
};

/**
 * softmax(q·kᵀ/√d + mask)·v per head, with dropout on the attention probabilities.
 * @example scaledDotProductAttention(q, k, v, { mask: causalMask(T) }, ctx) // [B, H, T, D]
 */
export const scaledDotProductAttention = (
  q: Tensor,
  k: Tensor,
  v: Tensor,
  { mask, dropoutP = 0 }: { readonly mask?: Tensor; readonly dropoutP?: number },
  ctx: ApplyContext,
): Tensor => {
  const d = q.shape[q.rank - 1]!;
  let scores = mul(matmul(q, k, { transB: true }), 1 / Math.sqrt(d)); // [B, H, Tq, Tk]
  if (mask) scores = add(scores, mask);
  const probs = dropout(softmax(scores, -1), dropoutP, ctx); // [B, H, Tq, Tk]
  return matmul(probs, v); // [B, H, Tq, D]
};

/** Heads, mask and attention-dropout of `attention`. @example { nHead: 12, mask: causalMask(T), dropoutP: 0.1 } */
export interface AttentionOptions {
  /** Number of heads; must divide the channel count. */
  readonly nHead: number;
  /** Additive mask broadcastable to [B, H, Tq, Tk] (`causalMask`, `paddingMask`, or their sum). */
  readonly mask?: Tensor;
  /** Dropout probability on the attention weights (`attn_pdrop`, `attention_probs_dropout_prob`). */
  readonly dropoutP?: number;
}

/**
 * Multi-head attention of projected queries [B, Tq, C] over keys and values [B, Tk, C]; returns
 * [B, Tq, C] before the output projection.
 * @example
 * const y = attention(q, k, v, { nHead: 12, mask: causalMask(T), dropoutP: 0.1 }, ctx); // [B, T, C]
 */
export const attention = (
  q: Tensor,
  k: Tensor,
  v: Tensor,
  options: AttentionOptions,
  ctx: ApplyContext,
): Tensor => {
  const c = q.shape[q.rank - 1]!;
  if (c % options.nHead !== 0) {
    throw new Error(
      `attention: ${c} channels do not split into ${options.nHead} heads; pick n_head dividing n_embd.`,
    );
  }
  const { nHead } = options;
  const y = scaledDotProductAttention(
    splitHeads(q, nHead),
    splitHeads(k, nHead),
    splitHeads(v, nHead),
    { mask: options.mask, dropoutP: options.dropoutP },
    ctx,
  ); // [B, H, Tq, D]
  return mergeHeads(y); // [B, Tq, C]
};
