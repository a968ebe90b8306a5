import type { FusedUpdateKernels, KernelInput } from "@scratchgrad/tensor";
import type { WasmRuntime } from "../runtime/create-runtime.js";
import { type Ptr, sizeOf } from "./views.js";

const ptr = (x: KernelInput): Ptr => x.buffer as Ptr;

/**
 * Fused optimizer steps: AdamW as one pass over param, grad and both moments (the SIMD kernel split
 * over the worker threads), where the primitive decomposition makes ~12 passes with a temporary each.
 * The kernel writes into fresh buffers from `allocate` (which the backend counts as live), so the
 * input tensors stay untouched, as tensors are immutable.
 */
export const wasmFusedUpdates = (rt: WasmRuntime, allocate: (size: number) => Ptr): FusedUpdateKernels => ({
  adamw: {
    supports: (inputs) => inputs.every((x) => x.dtype === "float32"),
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
        beta1: h.beta1,
        beta2: h.beta2,
        eps: h.eps,
        weightDecay: h.weightDecay,
        gradScale: h.gradScale,
        paramOut: update,
        mOut: m,
        vOut: v,
        writeUpdate: true,
      });
      return { update, mu: m, nu: v };
    },
  },
});
