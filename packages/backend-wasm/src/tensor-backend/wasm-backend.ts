import {
  type Backend,
  createGpuJsKernels,
  type GpuJsKernels,
  type KernelInput,
  type KernelOutput,
  type Primitive,
  randomArrays,
  sizeOf,
} from "@scratchgrad/tensor";
import { createWasmRuntime, type WasmRuntime, type WasmRuntimeOptions } from "../runtime/create-runtime.js";
import { wasmFusedKernels } from "./fused.js";
import { wasmFusedUpdates } from "./fused-updates.js";
import { wasmKernels } from "./primitives/table.js";
import { allocElements, flushSubnormals, inputView, type Ptr, readFrom, uploadTo, view } from "./views.js";

/** The tensor backend, with the runtime underneath for raw kernels (e.g. an in-place AdamW step). */
export interface WasmBackend extends Backend {
  readonly runtime: WasmRuntime;
  /** Stops the worker threads. */
  close(): Promise<void>;
}

/**
 * A scratchgrad backend whose tensors live in shared WebAssembly memory: matmul, add/sub/mul/div (with
 * broadcasting), sums over leading or trailing axes, permute/slice/pad/broadcastTo (strided copies),
 * embedding gather/scatter, the fused softmax / layerNorm / GELU / cross-entropy and dropout masks
 * (Threefry in SIMD, bit-identical to the host's) run on SIMD kernels split over worker threads. The
 * unary functions (exp, tanh, ...) and `where` are JavaScript loops over the same memory (not wasm
 * kernels); every other primitive runs its GPU.js kernel (cpu mode) directly on views of that memory, so
 * the fallback costs one output copy.
 *
 * @example
 * const backend = await createWasmBackend({ threads: 2 });
 * useBackend(backend);
 */
export const createWasmBackend = async (options: WasmRuntimeOptions = {}): Promise<WasmBackend> => {
  const rt = await createWasmRuntime(options);
  const reference: GpuJsKernels = createGpuJsKernels("cpu");
  let live = 0;
  // A buffer a kernel returns as a tensor's storage: counted here, uncounted by `release`.
  const allocateTensorBuffer = (size: number): Ptr => {
    live++;
    return allocElements(rt, size);
  };
  const fallback = (
    primitive: Primitive,
    inputs: readonly KernelInput[],
    params: unknown,
    output: KernelOutput,
  ): Ptr => {
    const views = inputs.map((x) => ({ ...x, buffer: inputView(rt, x) }));
    const result = reference.run(primitive, views, params, output) as Float32Array;
    const n = sizeOf(output.shape);
    const out = allocElements(rt, n);
    const dst = view(rt, out, output.dtype, n);
    dst.set(result);
    if (dst instanceof Float32Array) flushSubnormals(dst);
    return out;
  };
  return {
    name: `wasm-simd:${rt.simd}x${rt.threads}`,
    runtime: rt,
    upload(data, dtype) {
      live++;
      return uploadTo(rt, data, dtype);
    },
    read: (buffer, dtype, size) => readFrom(rt, buffer as Ptr, dtype, size),
    release(buffer) {
      live--;
      rt.free(buffer as Ptr);
    },
    run(primitive, inputs, params, output) {
      live++;
      const result = wasmKernels[primitive]?.(rt, inputs, params, output);
      return result ?? fallback(primitive, inputs, params, output);
    },
    dropoutMultiplier(key, shape, p) {
      const n = sizeOf(shape);
      const out = allocElements(rt, n);
      try {
        rt.dropoutMask({ key, ...randomArrays.dropoutThreshold(p), out, n });
      } catch (error) {
        rt.free(out);
        throw error;
      }
      live++;
      return out;
    },
    fused: wasmFusedKernels(rt, allocateTensorBuffer),
    fusedUpdates: wasmFusedUpdates(rt, allocateTensorBuffer),
    liveBuffers: () => live,
    dispose() {
      reference.dispose();
      void rt.dispose();
    },
    close: async () => {
      reference.dispose();
      await rt.dispose();
    },
  };
};
