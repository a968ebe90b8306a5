import { broadcastStrides, type MatmulPrimitive, sameShape, sizeOf } from "@scratchgrad/tensor";
import { allocElements, ptr } from "../views.js";
import type { WasmKernel, WasmKernels } from "./kernel.js";

/**
 * The matmul primitive on the wasm GEMM. Batch dims that are all present or all broadcast become one
 * strided batched call; an unbatched right operand with a plain left operand folds the batch into M
 * (one big GEMM, as PyTorch does for a Linear layer); anything else loops over the batch.
 */
const matmul: WasmKernel<"matmul"> = (rt, [a, b], p, out) => {
  const ra = a!.shape.length;
  const m = out.shape[out.shape.length - 2]!;
  const n = out.shape[out.shape.length - 1]!;
  const k = p.transA ? a!.shape[ra - 2]! : a!.shape[ra - 1]!;
  const batchShape = out.shape.slice(0, -2);
  const batch = sizeOf(batchShape);
  const ba = a!.shape.slice(0, -2);
  const bb = b!.shape.slice(0, -2);
  const c = allocElements(rt, batch * m * n);
  const pa = ptr(a!);
  const pb = ptr(b!);
  if (batch * m * n === 0) return c;
  if (k === 0) {
    rt.f32(c, batch * m * n).fill(0);
    return c;
  }
  // not broadcast along any batch dim
  const aFull = sizeOf(ba) === batch && sameShape(ba, batchShape.slice(batchShape.length - ba.length));
  const bFull = sizeOf(bb) === batch && sameShape(bb, batchShape.slice(batchShape.length - bb.length));
  if (sizeOf(bb) === 1 && !p.transA && aFull) {
    rt.gemm({ m: batch * m, n, k, a: pa, b: pb, c, transB: p.transB, inputsNormal: true });
    return c;
  }
  if ((aFull || sizeOf(ba) === 1) && (bFull || sizeOf(bb) === 1)) {
    rt.gemm({
      inputsNormal: true, // the backend's buffers never hold subnormals (views.ts)
      batch,
      m,
      n,
      k,
      a: pa,
      b: pb,
      c,
      transA: p.transA,
      transB: p.transB,
      strideA: sizeOf(ba) === 1 ? 0 : m * k,
      strideB: sizeOf(bb) === 1 ? 0 : k * n,
      strideC: m * n,
    });
    return c;
  }
  // Mixed broadcasting (e.g. [2, 1, M, K] · [1, 3, K, N]): one GEMM per output matrix.
  const rank = batchShape.length;
  const sa = broadcastStrides(ba, batchShape);
  const sb = broadcastStrides(bb, batchShape);
  for (let i = 0; i < batch; i++) {
    let r = i;
    let oa = 0;
    let ob = 0;
    for (let d = rank - 1; d >= 0; d--) {
      const idx = r % batchShape[d]!;
      r = Math.floor(r / batchShape[d]!);
      oa += idx * sa[d]!;
      ob += idx * sb[d]!;
    }
    rt.gemm({
      inputsNormal: true, // the backend's buffers never hold subnormals (views.ts)
      m,
      n,
      k,
      a: pa + 4 * oa * m * k,
      b: pb + 4 * ob * k * n,
      c: c + 4 * i * m * n,
      transA: p.transA,
      transB: p.transB,
    });
  }
  return c;
};

export const matmulKernels: WasmKernels<MatmulPrimitive> = { matmul };
