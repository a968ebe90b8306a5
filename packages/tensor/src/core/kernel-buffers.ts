import type { Backend, BackendBuffer, KernelInput } from "../backends/backend.js";
import type { DType } from "./dtype.js";
import { type Shape, sizeOf } from "./shape.js";
import { Storage } from "./storage.js";
import { Tensor } from "./tensor.js";

/** A tensor as a backend kernel reads it: its buffer, shape and dtype. */
export const kernelInput = (t: Tensor): KernelInput => ({
  buffer: t.storage.buffer,
  shape: t.shape,
  dtype: t.dtype,
});

/**
 * A new tensor owning `buffer`, a fresh buffer a backend kernel returned: it is released when the
 * tensor (and every view sharing its storage) is disposed.
 */
export const tensorOnBuffer = (backend: Backend, buffer: BackendBuffer, shape: Shape, dtype: DType): Tensor =>
  new Tensor(new Storage(backend, buffer, sizeOf(shape)), [...shape], dtype);
