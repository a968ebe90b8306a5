/**
 * Multi-head scaled dot-product attention over already-projected queries, keys and values, so GPT-2
 * (one fused c_attn projection) and BERT (separate query/key/value) share it while keeping their own
 * parameter names. Masks are additive: 0 where attention is allowed, `MASK_VALUE` where it is not.
 */
import {
  add,
  cast,
  dropoutMask,
  fromTypedArray,
  MASK_VALUE,
  matmul,
  mul,
  multiHeadAttention,
  reshape,
  softmax,
  sub,
  swapAxes,
  type Tensor,
} from "@scratchgrad/tensor";
import type { ApplyContext } from "./context.js";
import { dropout, dropoutKey } from "./dropout.js";

/** Added to the scores of forbidden positions (see the tensor package's `MASK_VALUE`). */
export { MASK_VALUE };

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
  return reshape(keyPaddingMask(attentionMask), [b, 1, 1, t]);
};

/**
 * The additive key mask [B, T] of an attention mask [B, T] (1 = real token, 0 = padding; int32, bool
 * or float32): MASK_VALUE at padding, 0 elsewhere. `attention`'s `keyMask`.
 * @example keyPaddingMask(tensor([[1, 1, 0]], undefined, "int32")) // [[0, 0, -1e9]]
 */
export const keyPaddingMask = (attentionMask: Tensor): Tensor =>
  mul(sub(1, cast(attentionMask, "float32")), MASK_VALUE); // MASK_VALUE on padding

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

/** Heads, masks and attention-dropout of `attention`. @example { nHead: 12, causal: true, dropoutP: 0.1 } */
export interface AttentionOptions {
  /** Number of heads; must divide the channel count. */
  readonly nHead: number;
  /** Query i attends to keys up to its own position (GPT-2); with Tq < Tk the queries are the last Tq positions. */
  readonly causal?: boolean;
  /** Additive key mask [B, Tk] (`keyPaddingMask(attentionMask)`): MASK_VALUE at padding. */
  readonly keyMask?: Tensor;
  /** Dropout probability on the attention weights (`attn_pdrop`, `attention_probs_dropout_prob`). */
  readonly dropoutP?: number;
}

/**
 * Multi-head attention of projected queries [B, Tq, C] over keys and values [B, Tk, C]; returns
 * [B, Tq, C] before the output projection. It is the tensor package's `multiHeadAttention` (fused on
 * the wasm backend), with the dropout mask drawn from `ctx.key` exactly as `dropout` would draw it.
 * @example
 * const y = attention(q, k, v, { nHead: 12, causal: true, dropoutP: 0.1 }, ctx); // [B, T, C]
 */
export const attention = (
  q: Tensor,
  k: Tensor,
  v: Tensor,
  options: AttentionOptions,
  ctx: ApplyContext,
): Tensor => {
  const [b, tq, c] = q.shape as [number, number, number];
  if (c % options.nHead !== 0) {
    throw new Error(
      `attention: ${c} channels do not split into ${options.nHead} heads; pick n_head dividing n_embd.`,
    );
  }
  const p = options.dropoutP ?? 0;
  // The same mask `dropout(probs, p, ctx)` would draw: one key, the probabilities' shape.
  const drop =
    ctx.training && p > 0
      ? dropoutMask(dropoutKey(p, ctx), [b, options.nHead, tq, k.shape[1]!], p, q.backend)
      : undefined;
  return multiHeadAttention(q, k, v, {
    nHead: options.nHead,
    causal: options.causal ?? false,
    ...(options.keyMask ? { keyMask: options.keyMask } : {}),
    ...(drop ? { dropoutMultiplier: drop } : {}),
  }); // [B, Tq, C]
};
