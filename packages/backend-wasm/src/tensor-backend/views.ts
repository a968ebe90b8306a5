import { type AnyTypedArray, type DType, type KernelInput, sizeOf } from "@scratchgrad/tensor";
import type { WasmRuntime } from "../runtime/create-runtime.js";

/**
 * How tensors sit in the shared wasm memory: a buffer is a byte address; float32 elements are f32,
 * int32 and bool elements are i32 (bool as 0/1), so every element is 4 bytes.
 */
export type Ptr = number;

/** The address of a kernel input's elements: the backend's buffers are addresses. */
export const ptr = (x: KernelInput): Ptr => x.buffer as Ptr;

/** Allocates room for `size` elements (at least one, so every buffer has an address of its own). */
export const allocElements = (rt: WasmRuntime, size: number): Ptr => rt.alloc(Math.max(size, 1) * 4);

/** A typed-array view of a tensor's elements in wasm memory (made fresh: memory may have grown). */
export const view = (rt: WasmRuntime, ptr: Ptr, dtype: DType, size: number): Float32Array | Int32Array =>
  dtype === "float32" ? rt.f32(ptr, size) : rt.i32(ptr, size);

export const inputView = (rt: WasmRuntime, x: KernelInput): Float32Array | Int32Array =>
  view(rt, ptr(x), x.dtype, sizeOf(x.shape));

/** The smallest normal float32, 2^-126. */
const MIN_NORMAL = 2 ** -126;

/**
 * Sets subnormal elements (0 < |x| < 2^-126) of `xs` to ±0, in place. The backend's buffers never
 * hold a subnormal (every wasm kernel flushes what it writes, and so do uploads, JS-loop ops and the
 * GPU.js fallback, through this), so its GEMMs skip scanning for them: Intel cores take a microcode
 * assist on every subnormal operand, and WebAssembly has no flush-to-zero mode.
 */
export const flushSubnormals = (xs: Float32Array): void => {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    if (x !== 0 && x < MIN_NORMAL && x > -MIN_NORMAL) xs[i] = x > 0 ? 0 : -0;
  }
};

/** Copies host data into a new wasm buffer (float32 with subnormals flushed). */
export const uploadTo = (rt: WasmRuntime, data: AnyTypedArray, dtype: DType): Ptr => {
  const address = allocElements(rt, data.length);
  const dst = view(rt, address, dtype, data.length);
  dst.set(data);
  if (dst instanceof Float32Array) flushSubnormals(dst);
  return address;
};

/** Copies a wasm buffer out as a fresh typed array of `dtype`. */
export const readFrom = (rt: WasmRuntime, address: Ptr, dtype: DType, size: number): AnyTypedArray => {
  if (dtype === "float32") return rt.f32(address, size).slice();
  if (dtype === "int32") return rt.i32(address, size).slice();
  return Uint8Array.from(rt.i32(address, size));
};

/** The single value of a one-element float tensor (a scalar operand or an upstream gradient). */
export const scalarValue = (rt: WasmRuntime, x: KernelInput): number => inputView(rt, x)[0]!;
