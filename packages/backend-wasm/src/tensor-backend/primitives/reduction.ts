import { type ReductionPrimitive, sizeOf } from "@scratchgrad/tensor";
import { allocElements, ptr } from "../views.js";
import type { WasmKernels } from "./kernel.js";

// Kernels of the reductions (the core's primitives/reduction.ts); max runs its GPU.js kernel.

export const reductionKernels: WasmKernels<ReductionPrimitive> = {
  /**
   * Sums of float32 tensors over trailing axes (row sums, on the SIMD kernel) or over leading axes
   * (column sums, e.g. bias gradients over [B, T]: a GEMM with a ones vector).
   */
  sum: (rt, [x], { axes }, out) => {
    if (x!.dtype !== "float32" || axes.length === 0) return undefined;
    const r = x!.shape.length;
    const total = sizeOf(x!.shape);
    const reduced = sizeOf(axes.map((a) => x!.shape[a]!));
    const kept = total / Math.max(reduced, 1);
    const o = allocElements(rt, sizeOf(out.shape));
    if (total === 0) {
      rt.f32(o, sizeOf(out.shape)).fill(0);
      return o;
    }
    const trailing = axes.every((a, i) => a === r - axes.length + i);
    const leading = axes.every((a, i) => a === i);
    if (trailing) {
      rt.sumLastAxis({ x: ptr(x!), out: o, rows: kept, cols: reduced });
      return o;
    }
    if (leading) {
      const ones = allocElements(rt, reduced);
      rt.f32(ones, reduced).fill(1);
      rt.gemm({ m: 1, n: kept, k: reduced, a: ones, b: ptr(x!), c: o });
      rt.free(ones);
      return o;
    }
    rt.free(o);
    return undefined;
  },
};
