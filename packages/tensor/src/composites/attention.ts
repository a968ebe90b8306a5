import { ShapeError } from "../core/errors.js";
import { fused } from "../core/fused.js";
import type { Tensor } from "../core/tensor.js";
import { fromTypedArray } from "../ops/creation.js";
import { add, mul } from "../ops/elementwise.js";
import { matmul } from "../ops/matmul.js";
import { reshape, swapAxes } from "../ops/movement.js";
import { softmax } from "./reductions.js";

/**
 * Added to the scores of forbidden positions. Large enough that exp underflows to exactly 0 after the
 * softmax's max shift, small enough that adding two masks (causal + padding) stays finite, so a fully
 * masked row gives a uniform distribution rather than NaN (HF's finfo.min could sum to −∞).
 */
export const MASK_VALUE = -1e9;

/** Options of {@link multiHeadAttention}. */
export interface MultiHeadAttentionOptions {
  /** Number of heads; must divide the channel count C. */
  readonly nHead: number;
  /** Query i attends to keys 0..i only (GPT-2's causal self-attention). */
  readonly causal: boolean;
  /** Additive key mask [B, Tk]: 0 for real tokens, `MASK_VALUE` for padding (BERT, padded GPT-2). */
  readonly keyMask?: Tensor;
  /** Dropout multiplier [B, H, Tq, Tk] (0 or 1/(1 − p)) applied to the attention probabilities. */
  readonly dropoutMultiplier?: Tensor;
  /** Multiplies q·kᵀ; default 1/√(C/H). */
  readonly scale?: number;
}

/** [B, T, C] → [B, H, T, C/H]. */
const splitHeads = (x: Tensor, nHead: number): Tensor => {
  const [b, t, c] = x.shape as [number, number, number];
  return swapAxes(reshape(x, [b, t, nHead, c / nHead]), 1, 2);
};

/** [B, H, T, D] → [B, T, H·D]. */
const mergeHeads = (x: Tensor): Tensor => {
  const [b, h, t, d] = x.shape as [number, number, number, number];
  return reshape(swapAxes(x, 1, 2), [b, t, h * d]);
};

/** The causal mask [Tq, Tk]: query i (at absolute position Tk − Tq + i) sees keys up to its own. */
const causalMask = (tq: number, tk: number, like: Tensor): Tensor => {
  const data = new Float32Array(tq * tk);
  const offset = tk - tq;
  for (let i = 0; i < tq; i++) for (let j = offset + i + 1; j < tk; j++) data[i * tk + j] = MASK_VALUE;
  return fromTypedArray(data, [tq, tk], "float32", like.backend);
};

/** The decomposition into primitives: the reference every fused kernel is tested against. */
const reference = (q: Tensor, k: Tensor, v: Tensor, o: MultiHeadAttentionOptions, scale: number): Tensor => {
  const [b, tq] = q.shape as [number, number];
  const tk = k.shape[1]!;
  let scores = mul(matmul(splitHeads(q, o.nHead), splitHeads(k, o.nHead), { transB: true }), scale); // [B, H, Tq, Tk]
  if (o.causal && tq > 1) scores = add(scores, causalMask(tq, tk, q));
  if (o.keyMask) scores = add(scores, reshape(o.keyMask, [b, 1, 1, tk]));
  let probs = softmax(scores, -1);
  if (o.dropoutMultiplier) probs = mul(probs, o.dropoutMultiplier);
  return mergeHeads(matmul(probs, splitHeads(v, o.nHead))); // [B, Tq, C]
};

const check = (q: Tensor, k: Tensor, v: Tensor, o: MultiHeadAttentionOptions): void => {
  const [b, tq, c] = q.shape as [number, number, number];
  const tk = k.shape[1]!;
  const same = (x: Tensor, shape: readonly number[]) =>
    x.rank === shape.length && x.shape.every((n, i) => n === shape[i]);
  if (q.rank !== 3 || !same(k, [b, tk, c]) || !same(v, [b, tk, c])) {
    throw new ShapeError(
      "multiHeadAttention",
      `q [B, Tq, C], k and v [B, Tk, C] expected, got q [${q.shape}], k [${k.shape}], v [${v.shape}]`,
    );
  }
  if (!Number.isInteger(o.nHead) || o.nHead < 1 || c % o.nHead !== 0) {
    throw new ShapeError(
      "multiHeadAttention",
      `${c} channels do not split into ${o.nHead} heads; pick nHead dividing C`,
    );
  }
  if (o.keyMask && !same(o.keyMask, [b, tk])) {
    throw new ShapeError(
      "multiHeadAttention",
      `keyMask must be [B, Tk] = [${b}, ${tk}], got [${o.keyMask.shape}]`,
    );
  }
  if (o.dropoutMultiplier && !same(o.dropoutMultiplier, [b, o.nHead, tq, tk])) {
    throw new ShapeError(
      "multiHeadAttention",
      `dropoutMultiplier must be [B, H, Tq, Tk] = [${b}, ${o.nHead}, ${tq}, ${tk}], got [${o.dropoutMultiplier.shape}]`,
    );
  }
};

/**
 * Multi-head scaled dot-product attention of projected queries q [B, Tq, C] over keys and values
 * [B, Tk, C], heads in column blocks of C/H: softmax(q·kᵀ·scale + masks)·v per head, merged back to
 * [B, Tq, C]. Runs as the backend's fused kernel when it has one (the wasm backend: flash-attention
 * style, no [B, H, T, T] tensor), else as its decomposition into primitives; both give the same
 * values and gradients (for q, k and v; the masks take none).
 * @example
 * const y = multiHeadAttention(q, k, v, { nHead: 4, causal: true }); // [B, T, C]
 */
export const multiHeadAttention = (
  q: Tensor,
  k: Tensor,
  v: Tensor,
  options: MultiHeadAttentionOptions,
): Tensor => {
  check(q, k, v, options);
  const scale = options.scale ?? 1 / Math.sqrt(q.shape[2]! / options.nHead);
  const inputs = [q, k, v];
  if (options.keyMask) inputs.push(options.keyMask);
  if (options.dropoutMultiplier) inputs.push(options.dropoutMultiplier);
  const params = {
    nHead: options.nHead,
    causal: options.causal,
    scale,
    keyMask: options.keyMask !== undefined,
    dropout: options.dropoutMultiplier !== undefined,
  };
  return fused("attention", inputs, params, q, () => reference(q, k, v, options, scale));
};
