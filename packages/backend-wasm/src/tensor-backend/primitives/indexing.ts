import { type IndexingPrimitive, sizeOf } from "@scratchgrad/tensor";
import { allocElements, ptr } from "../views.js";
import type { WasmKernels } from "./kernel.js";

// Kernels of the indexing primitives (the core's primitives/indexing.ts): embedding lookups and
// their gradients, along axis 0 of a float32 table.

export const indexingKernels: WasmKernels<IndexingPrimitive> = {
  /** Embedding lookup: gather along axis 0 of a float32 table. */
  gather: (rt, [table, ids], { axis }, out) => {
    if (axis !== 0 || table!.dtype !== "float32") return undefined;
    const vocab = table!.shape[0]!;
    const dim = sizeOf(table!.shape.slice(1));
    const rows = sizeOf(ids!.shape);
    const o = allocElements(rt, sizeOf(out.shape));
    rt.embeddingGather({ table: ptr(table!), ids: ptr(ids!), out: o, rows, dim, vocab });
    return o;
  },

  /** Embedding gradient: scatter-add along axis 0 into zeros. */
  scatterAdd: (rt, [updates, ids], { axis, size }, out) => {
    if (axis !== 0 || updates!.dtype !== "float32") return undefined;
    const rows = sizeOf(ids!.shape);
    const dim = sizeOf(out.shape.slice(1));
    const n = sizeOf(out.shape);
    const o = allocElements(rt, n);
    // zeros by wasm memory.fill: a typed-array fill over shared memory is several times slower
    rt.stridedCopy({ src: 0, dst: o, shape: [n], strides: [0] });
    rt.embeddingScatterAdd({
      dout: ptr(updates!),
      ids: ptr(ids!),
      dtable: o,
      rows,
      dim,
      vocab: size,
    });
    return o;
  },
};
