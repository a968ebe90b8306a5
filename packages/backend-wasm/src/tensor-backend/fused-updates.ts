import type { AdamWUpdateParams } from "@scratchgrad/optim";
import { type FusedUpdateKernel, type FusedUpdateKernels, sameShape, sizeOf } from "@scratchgrad/tensor";
import type { WasmRuntime } from "../runtime/create-runtime.js";
import { type Ptr, ptr } from "./views.js";

/**
 * `@scratchgrad/optim`'s fused update `"adamw"` (its `AdamWUpdateParams`; the math is optim's chain):
 * one pass of the SIMD kernel, split over the worker threads, over param, grad and both moments,
 * where the chain makes ~12 passes with a temporary each. It writes into fresh buffers from
 * `allocate` (which the backend counts as live), so the input tensors stay untouched, as tensors are
 * immutable.
 */
const adamw = (rt: WasmRuntime, allocate: (size: number) => Ptr): FusedUpdateKernel<AdamWUpdateParams> => ({
  supports: (inputs) => inputs.every((x) => x.dtype === "float32" && sameShape(x.shape, inputs[0]!.shape)),
  run([param, grad, mu, nu], h) {
    const n = sizeOf(param!.shape);
    const [update, m, v] = [allocate(n), allocate(n), allocate(n)];
    rt.adamw({
      param: ptr(param!),
      grad: ptr(grad!),
      m: ptr(mu!),
      v: ptr(nu!),
      n,
      lr: h.lr,
      step: h.step,
      beta1: h.b1,
      beta2: h.b2,
      eps: h.eps,
      weightDecay: h.weightDecay,
      paramOut: update,
      mOut: m,
      vOut: v,
      writeUpdate: true,
    });
    return [update, m, v];
  },
});

/** The fused updates the wasm backend supplies, by the name their owning package gives them. */
export const wasmFusedUpdates = (rt: WasmRuntime, allocate: (size: number) => Ptr): FusedUpdateKernels => ({
  adamw: adamw(rt, allocate),
});
