import { fused } from "../core/fused.js";
import { normalizeAxes, sizeOf } from "../core/shape.js";
import type { Tensor } from "../core/tensor.js";
import { add, div, exp, log, square, stopGradient, sub } from "../ops/elementwise.js";
import { reshape } from "../ops/movement.js";
import { max, sum } from "../ops/reduction.js";

type Axes = number | readonly number[] | undefined;

const countOf = (x: Tensor, axes: Axes): number =>
  sizeOf(normalizeAxes("mean", axes, x.rank).map((a) => x.shape[a]!));

/** Arithmetic mean over `axes` (all by default). */
export const mean = (x: Tensor, axes?: Axes, keepdims = false): Tensor =>
  div(sum(x, axes, keepdims), countOf(x, axes));

/** Population variance (divides by n, as LayerNorm uses) over `axes`. */
export const variance = (x: Tensor, axes?: Axes, keepdims = false): Tensor => {
  const centered = sub(x, mean(x, axes, true));
  return mean(square(centered), axes, keepdims);
};

/**
 * log Σ exp(x) over `axes`, computed stably: the max is subtracted first (and held constant for the
 * gradient, which is exact since the result does not depend on the shift).
 */
export const logsumexp = (x: Tensor, axes?: Axes, keepdims = false): Tensor => {
  const m = stopGradient(max(x, axes, true));
  const s = log(sum(exp(sub(x, m)), axes, true));
  const out = add(s, m);
  if (keepdims) return out;
  const kept = normalizeAxes("logsumexp", axes, x.rank);
  return reshape(
    out,
    x.shape.filter((_, i) => !kept.includes(i)),
  );
};

/** log softmax along `axis` (default last): x − logsumexp(x). */
export const logSoftmax = (x: Tensor, axis = -1): Tensor => sub(x, logsumexp(x, axis, true));

const softmaxDecomposition = (x: Tensor, axis: number): Tensor => {
  const e = exp(sub(x, stopGradient(max(x, axis, true))));
  return div(e, sum(e, axis, true));
};

/** softmax along `axis` (default last), stable for large inputs. Fused on backends that have it. */
export const softmax = (x: Tensor, axis = -1): Tensor => {
  const last = axis === -1 || axis === x.rank - 1;
  if (!last || x.rank === 0) return softmaxDecomposition(x, axis);
  return fused("softmax", [x], {}, x, () => softmaxDecomposition(x, axis));
};
