import type { Backend, BackendBuffer, KernelInput } from "../backends/backend.js";
import type { AbstractValue } from "../primitives/primitive.js";
import { addProfileSample, isProfiling } from "./profile.js";
import { sizeOf } from "./shape.js";
import { Storage } from "./storage.js";
import { Tensor } from "./tensor.js";

// The one way the core calls a backend kernel. `bind` (primitives), `fused` (fused ops, forward and
// backward), `fusedUpdate` (optimizer steps) and `dropoutMask` differ in which kernel they pick and
// what they fall back to; the call itself — the inputs as the backend reads them, the timing, and
// the fresh buffers becoming tensors that own them — is the same for all, and lives here.

/** A tensor as a backend kernel reads it: its buffer, shape and dtype. */
export const kernelInput = (t: Tensor): KernelInput => ({
  buffer: t.storage.buffer,
  shape: t.shape,
  dtype: t.dtype,
});

/**
 * The tensors of a kernel call as the backend reads them, after checking that each is still alive
 * (the error names `op`, the operation it was passed to).
 */
export const kernelInputs = (op: string, inputs: readonly Tensor[]): KernelInput[] => {
  for (const x of inputs) x.assertAlive(op);
  return inputs.map(kernelInput);
};

/**
 * A new tensor owning `buffer`, a fresh buffer a backend kernel returned: it is released when the
 * tensor (and every view sharing its storage) is disposed. `runKernel` makes its outputs so; a fused
 * forward kernel's saved buffers, which come back with shapes of their own, are made so too.
 */
export const ownBuffer = (backend: Backend, buffer: BackendBuffer, { shape, dtype }: AbstractValue): Tensor =>
  new Tensor(new Storage(backend, buffer, sizeOf(shape)), [...shape], dtype);

/**
 * Runs one backend kernel: calls `kernel`, timed under `label` while profiling is on, and makes each
 * buffer it returns a new tensor on `backend` that owns it (the buffer is released when that tensor,
 * and every view sharing its storage, is disposed). With one `output`, the kernel returns one buffer;
 * with a list of `outputs`, one buffer per entry, or `null` where there is no result (an input that
 * takes no cotangent).
 * @example
 * const y = runKernel("exp", backend, out, () => backend.run("exp", kernelInputs("exp", [x]), {}, out));
 */
export function runKernel(
  label: string,
  backend: Backend,
  output: AbstractValue,
  kernel: () => BackendBuffer,
): Tensor;
export function runKernel(
  label: string,
  backend: Backend,
  outputs: readonly AbstractValue[],
  kernel: () => readonly (BackendBuffer | null)[],
): (Tensor | null)[];
export function runKernel(
  label: string,
  backend: Backend,
  outputs: AbstractValue | readonly AbstractValue[],
  kernel: () => BackendBuffer | readonly (BackendBuffer | null)[],
): Tensor | (Tensor | null)[] {
  const start = isProfiling() ? performance.now() : 0;
  const result = kernel();
  if (start) addProfileSample(label, performance.now() - start);
  if (!isList(outputs)) return ownBuffer(backend, result, outputs);
  return (result as readonly (BackendBuffer | null)[]).map((buffer, i) =>
    buffer === null ? null : ownBuffer(backend, buffer, outputs[i]!),
  );
}

const isList = (x: AbstractValue | readonly AbstractValue[]): x is readonly AbstractValue[] =>
  Array.isArray(x);
