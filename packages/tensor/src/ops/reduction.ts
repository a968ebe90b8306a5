import { bind } from "../core/bind.js";
import { normalizeAxes } from "../core/shape.js";
import type { Tensor } from "../core/tensor.js";

/**
 * Sum over `axes` (all by default; negative axes count from the end).
 * @example sum(x, -1, true) // row sums, shape [..., 1]
 */
export const sum = (x: Tensor, axes?: number | readonly number[], keepdims = false): Tensor =>
  bind("sum", [x], { axes: normalizeAxes("sum", axes, x.rank), keepdims });

/** Maximum over `axes` (all by default). */
export const max = (x: Tensor, axes?: number | readonly number[], keepdims = false): Tensor =>
  bind("max", [x], { axes: normalizeAxes("max", axes, x.rank), keepdims });
