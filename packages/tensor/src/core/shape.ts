import { ShapeError, showShape } from "./errors.js";

export type Shape = readonly number[];

/** Number of elements of a shape; `[]` (a scalar) has one. */
export const sizeOf = (shape: Shape): number => shape.reduce((a, b) => a * b, 1);

/** Row-major (C-order) strides. */
export const stridesOf = (shape: Shape): number[] => {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
};

export const sameShape = (a: Shape, b: Shape): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/** NumPy broadcasting: align right, each pair of dims equal or one of them 1. */
export const broadcastShapes = (op: string, ...shapes: Shape[]): number[] => {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = rank - s.length + i;
      const d = s[i]!;
      if (d === out[o] || d === 1) continue;
      if (out[o] === 1) out[o] = d;
      else throw new ShapeError(op, `cannot broadcast shapes ${shapes.map(showShape).join(" and ")}`);
    }
  }
  return out;
};

/**
 * Strides for reading `shape` as if broadcast to `target`: broadcast (size-1 or missing) dims get
 * stride 0, so the same element is read along them.
 */
export const broadcastStrides = (shape: Shape, target: Shape): number[] => {
  const own = stridesOf(shape);
  const offset = target.length - shape.length;
  return target.map((_, i) => {
    const j = i - offset;
    return j < 0 || shape[j] === 1 ? 0 : own[j]!;
  });
};

/** Resolves a possibly negative axis against `rank`, with a clear error when out of range. */
export const normalizeAxis = (op: string, axis: number, rank: number): number => {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= Math.max(rank, 1)) {
    throw new ShapeError(op, `axis ${axis} is out of range for a tensor of rank ${rank}`);
  }
  return a;
};

/** Sorted, de-duplicated, non-negative axes; `undefined` means all axes. */
export const normalizeAxes = (
  op: string,
  axes: number | readonly number[] | undefined,
  rank: number,
): number[] => {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === "number" ? [axes] : axes;
  const out = [...new Set(list.map((a) => normalizeAxis(op, a, rank)))].sort((a, b) => a - b);
  return out;
};

/** Checks a user-given shape: non-negative integers only. */
export const checkShape = (op: string, shape: Shape): void => {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new ShapeError(op, `invalid shape ${showShape(shape)}`);
  }
};
