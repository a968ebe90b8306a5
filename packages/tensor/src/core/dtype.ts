/**
 * Element types. `float32` is the only differentiable one; `int32` holds token ids and indices;
 * `bool` is what comparisons return and what `where` takes.
 */
export type DType = "float32" | "int32" | "bool";

/** The typed array a tensor of each dtype reads back as. */
export type TypedArrayFor<D extends DType> = D extends "float32"
  ? Float32Array
  : D extends "int32"
    ? Int32Array
    : Uint8Array;

export type AnyTypedArray = Float32Array | Int32Array | Uint8Array;

/** A fresh zeroed typed array of `size` elements for `dtype`. */
export const allocTyped = (dtype: DType, size: number): AnyTypedArray =>
  dtype === "float32"
    ? new Float32Array(size)
    : dtype === "int32"
      ? new Int32Array(size)
      : new Uint8Array(size);

/** Converts any numeric array to the typed array of `dtype` (rounding toward zero for integers). */
export const toTyped = (dtype: DType, values: ArrayLike<number>): AnyTypedArray => {
  const out = allocTyped(dtype, values.length);
  if (dtype === "bool") for (let i = 0; i < values.length; i++) out[i] = values[i] ? 1 : 0;
  else out.set(values);
  return out;
};
