import type { Backend } from "../backends/backend.js";
import { currentBackend } from "../backends/select.js";
import { type AnyTypedArray, allocTyped, type DType, toTyped } from "../core/dtype.js";
import { ShapeError, showShape } from "../core/errors.js";
import { checkShape, type Shape, sizeOf } from "../core/shape.js";
import { Storage } from "../core/storage.js";
import { type NestedArray, Tensor } from "../core/tensor.js";

/** Wraps host data (copied) as a tensor on `backend` (default: the current backend). */
export const fromTypedArray = (
  data: AnyTypedArray,
  shape: Shape,
  dtype: DType,
  backend: Backend = currentBackend(),
): Tensor => {
  checkShape("tensor", shape);
  if (data.length !== sizeOf(shape)) {
    throw new ShapeError(
      "tensor",
      `${data.length} values do not fill shape ${showShape(shape)} (${sizeOf(shape)} elements)`,
    );
  }
  const typed = data.constructor === allocTyped(dtype, 0).constructor ? data : toTyped(dtype, data);
  return new Tensor(new Storage(backend, backend.upload(typed, dtype), typed.length), [...shape], dtype);
};

const inferShape = (values: NestedArray): number[] => {
  const shape: number[] = [];
  let v: NestedArray = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0] as NestedArray;
  }
  return shape;
};

/**
 * A tensor from nested arrays, a typed array or a number.
 * @example
 * tensor([[1, 2], [3, 4]]);                       // float32 [2, 2]
 * tensor(new Int32Array([5, 7]), [2]);            // int32 [2]
 * tensor([0, 1, 1], undefined, "bool");           // bool [3]
 */
export const tensor = (values: NestedArray | AnyTypedArray, shape?: Shape, dtype?: DType): Tensor => {
  if (ArrayBuffer.isView(values)) {
    const d =
      dtype ?? (values instanceof Int32Array ? "int32" : values instanceof Uint8Array ? "bool" : "float32");
    return fromTypedArray(values, shape ?? [values.length], d);
  }
  const s = shape ?? inferShape(values);
  const flat = Array.isArray(values)
    ? ((values as unknown[]).flat(Number.POSITIVE_INFINITY) as number[])
    : [values];
  if (!shape && flat.length !== sizeOf(s)) throw new ShapeError("tensor", "nested arrays are ragged");
  return fromTypedArray(toTyped(dtype ?? "float32", flat), s, dtype ?? "float32");
};

/** A tensor of `shape` filled with `value`. */
export const full = (shape: Shape, value: number, dtype: DType = "float32"): Tensor => {
  checkShape("full", shape);
  const data = allocTyped(dtype, sizeOf(shape));
  data.fill(dtype === "bool" ? (value ? 1 : 0) : value);
  return fromTypedArray(data, shape, dtype);
};

export const zeros = (shape: Shape, dtype: DType = "float32"): Tensor => full(shape, 0, dtype);
export const ones = (shape: Shape, dtype: DType = "float32"): Tensor => full(shape, 1, dtype);
export const scalar = (value: number, dtype: DType = "float32"): Tensor => full([], value, dtype);

/** Same shape and dtype as `like` (and on its backend). */
export const fullLike = (like: Tensor, value: number): Tensor => {
  const data = allocTyped(like.dtype, like.size);
  data.fill(value);
  return fromTypedArray(data, like.shape, like.dtype, like.backend);
};
export const zerosLike = (like: Tensor): Tensor => fullLike(like, 0);
export const onesLike = (like: Tensor): Tensor => fullLike(like, 1);

/**
 * Evenly spaced values in [start, stop): `arange(3)` is [0, 1, 2]. int32 unless a step or bound is
 * fractional or a dtype is given.
 */
export const arange = (start: number, stop?: number, step = 1, dtype?: DType): Tensor => {
  const [lo, hi] = stop === undefined ? [0, start] : [start, stop];
  const n = Math.max(0, Math.ceil((hi - lo) / step));
  const d = dtype ?? ([lo, hi, step].every(Number.isInteger) ? "int32" : "float32");
  const data = allocTyped(d, n);
  for (let i = 0; i < n; i++) data[i] = lo + i * step;
  return fromTypedArray(data, [n], d);
};

/** Moves a tensor to another backend (a copy through the host). */
export const toBackend = (x: Tensor, backend: Backend): Tensor =>
  x.backend === backend ? x : fromTypedArray(x.data(), x.shape, x.dtype, backend);
