import { bind } from "../core/bind.js";
import { ShapeError, showShape } from "../core/errors.js";
import { normalizeAxis, type Shape, sameShape, sizeOf } from "../core/shape.js";
import type { Tensor } from "../core/tensor.js";

/**
 * Same elements, new shape; one entry may be -1 (inferred). Free: shares the buffer.
 * @example reshape(x, [batch, -1])
 */
export const reshape = (x: Tensor, shape: Shape): Tensor => {
  const known = shape.filter((d) => d !== -1);
  const inferred = shape.length - known.length;
  if (inferred > 1) throw new ShapeError("reshape", `only one -1 allowed in ${showShape(shape)}`);
  const full = inferred ? shape.map((d) => (d === -1 ? x.size / Math.max(sizeOf(known), 1) : d)) : shape;
  if (sameShape(full, x.shape)) return x;
  return bind("reshape", [x], { shape: full });
};

/** Reorders dims: output dim i is input dim axes[i]. */
export const permute = (x: Tensor, axes: readonly number[]): Tensor => {
  const a = axes.map((ax) => normalizeAxis("permute", ax, x.rank));
  if (a.every((ax, i) => ax === i)) return x;
  return bind("permute", [x], { axes: a });
};

/** Reverses the dims (or permutes by `axes`). */
export const transpose = (x: Tensor, axes?: readonly number[]): Tensor =>
  permute(x, axes ?? x.shape.map((_, i) => x.rank - 1 - i));

/** Swaps two dims, e.g. `swapAxes(q, 1, 2)` for [B, T, H, D] → [B, H, T, D]. */
export const swapAxes = (x: Tensor, a: number, b: number): Tensor => {
  const axes = x.shape.map((_, i) => i);
  const i = normalizeAxis("swapAxes", a, x.rank);
  const j = normalizeAxis("swapAxes", b, x.rank);
  [axes[i], axes[j]] = [axes[j]!, axes[i]!];
  return permute(x, axes);
};

/** Broadcasts to `shape` (NumPy rules). */
export const broadcastTo = (x: Tensor, shape: Shape): Tensor =>
  sameShape(x.shape, shape) ? x : bind("broadcastTo", [x], { shape });

/** The box starts[i] ≤ index < ends[i]. */
export const slice = (x: Tensor, starts: readonly number[], ends: readonly number[]): Tensor => {
  if (starts.every((s) => s === 0) && sameShape(ends, x.shape)) return x;
  return bind("slice", [x], { starts, ends });
};

/** `x[..., start:end, ...]` along one axis. */
export const sliceAxis = (x: Tensor, axis: number, start: number, end: number): Tensor => {
  const a = normalizeAxis("sliceAxis", axis, x.rank);
  return slice(
    x,
    x.shape.map((_, i) => (i === a ? start : 0)),
    x.shape.map((d, i) => (i === a ? end : d)),
  );
};

/** Zeros around x: `before[i]` in front of and `after[i]` behind axis i. */
export const pad = (x: Tensor, before: readonly number[], after: readonly number[]): Tensor => {
  if ([...before, ...after].every((w) => w === 0)) return x;
  return bind("pad", [x], { before, after });
};

/** Joins tensors along `axis`. */
export const concat = (xs: readonly Tensor[], axis = 0): Tensor => {
  if (xs.length === 0) throw new ShapeError("concat", "needs at least one tensor");
  if (xs.length === 1) return xs[0]!;
  return bind("concat", xs, { axis: normalizeAxis("concat", axis, xs[0]!.rank) });
};

/** Inserts a size-1 dim at `axis`. */
export const expandDims = (x: Tensor, axis: number): Tensor => {
  const a = axis < 0 ? axis + x.rank + 1 : axis;
  return reshape(x, [...x.shape.slice(0, a), 1, ...x.shape.slice(a)]);
};

/** Removes size-1 dims (all, or the given axis). */
export const squeeze = (x: Tensor, axis?: number): Tensor => {
  if (axis === undefined)
    return reshape(
      x,
      x.shape.filter((d) => d !== 1),
    );
  const a = normalizeAxis("squeeze", axis, x.rank);
  if (x.shape[a] !== 1)
    throw new ShapeError("squeeze", `axis ${axis} of ${showShape(x.shape)} has size ${x.shape[a]}, not 1`);
  return reshape(
    x,
    x.shape.filter((_, i) => i !== a),
  );
};

/** Splits along `axis` into pieces of the given sizes (or `n` equal pieces). */
export const split = (x: Tensor, sizes: number | readonly number[], axis = 0): Tensor[] => {
  const a = normalizeAxis("split", axis, x.rank);
  const d = x.shape[a]!;
  const list = typeof sizes === "number" ? Array<number>(sizes).fill(d / sizes) : sizes;
  if (list.reduce((s, v) => s + v, 0) !== d || list.some((v) => !Number.isInteger(v))) {
    throw new ShapeError(
      "split",
      `sizes [${list.join(", ")}] do not split axis ${axis} of ${showShape(x.shape)}`,
    );
  }
  let start = 0;
  return list.map((n) => {
    const piece = sliceAxis(x, a, start, start + n);
    start += n;
    return piece;
  });
};
