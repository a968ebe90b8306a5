import type { AnyTypedArray, DType } from "../core/dtype.js";
import type { Shape } from "../core/shape.js";
import type { Primitive, PrimitiveParams } from "../primitives/primitive.js";

/** A backend's own handle for one tensor's elements: a typed array, a GPU texture, a wasm pointer. */
export type BackendBuffer = unknown;

/** What a kernel sees of one input: its buffer and its abstract value. */
export interface KernelInput {
  readonly buffer: BackendBuffer;
  readonly shape: Shape;
  readonly dtype: DType;
}

/** The abstract value of a primitive's result, from the primitive's shape rule. */
export interface KernelOutput {
  readonly shape: Shape;
  readonly dtype: DType;
}

/**
 * Where tensors live and primitives run. A backend is a value: pass it to `useBackend` or
 * `withBackend`, nothing registers itself by being imported.
 *
 * Ownership: every buffer returned by `upload` or `run` is owned by exactly one storage object of the
 * tensor core, which calls `release` exactly once when the last tensor using it is disposed.
 */
export interface Backend {
  readonly name: string;
  /** Copies host data into a new buffer. int32 and bool data arrive as their own typed arrays. */
  upload(data: AnyTypedArray, dtype: DType): BackendBuffer;
  /** Copies a buffer back to the host as a fresh typed array of `dtype` with `size` elements. */
  read(buffer: BackendBuffer, dtype: DType, size: number): AnyTypedArray;
  /** Frees a buffer. Called once per buffer. */
  release(buffer: BackendBuffer): void;
  /** Whether this backend has a kernel for `primitive` with these inputs (a fallback runs it otherwise). */
  supports?(primitive: Primitive, inputs: readonly KernelInput[], params: unknown): boolean;
  /** Runs one primitive, returning a new buffer holding the result. */
  run<P extends Primitive>(
    primitive: P,
    inputs: readonly KernelInput[],
    params: PrimitiveParams[P],
    output: KernelOutput,
  ): BackendBuffer;
  /** Number of buffers allocated and not yet released: the memory tests watch this. */
  liveBuffers(): number;
  /** Releases everything the backend holds (compiled kernels, pools, workers). */
  dispose?(): void;
}
