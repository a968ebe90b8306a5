import type { FusedKernels, KernelInput } from "@scratchgrad/tensor";
import type { WasmRuntime } from "../runtime/create-runtime.js";
import { type Ptr, scalarValue, sizeOf } from "./views.js";

const ptr = (x: KernelInput): Ptr => x.buffer as Ptr;
const lastDim = (x: KernelInput): number => x.shape[x.shape.length - 1]!;
const isFloat = (xs: readonly KernelInput[]): boolean => xs.every((x) => x.dtype === "float32");

/**
 * Fused forward and backward kernels for the composites that dominate a transformer step. Each
 * replaces 5–15 elementwise passes over full-size temporaries with one or two passes. Every buffer
 * they return becomes a tensor, so they come from `allocate`, which the backend counts as live.
 */
export const wasmFusedKernels = (rt: WasmRuntime, allocate: (size: number) => Ptr): FusedKernels => ({
  softmax: {
    supports: (inputs) => isFloat(inputs) && inputs[0]!.shape.length >= 1 && lastDim(inputs[0]!) > 0,
    forward([x]) {
      const n = sizeOf(x!.shape);
      const cols = lastDim(x!);
      const y = allocate(n);
      rt.softmaxRows({ x: ptr(x!), y, rows: n / cols, cols });
      return { output: y, saved: [] };
    },
    backward(g, [x], y) {
      const n = sizeOf(x!.shape);
      const cols = lastDim(x!);
      const dx = allocate(n);
      rt.softmaxRowsBackward({ y: ptr(y), dy: ptr(g), dx, rows: n / cols, cols });
      return [dx];
    },
  },
  layerNorm: {
    supports: ([x, w, b]) => {
      const c = x!.shape[x!.shape.length - 1];
      return (
        isFloat([x!, w!, b!]) &&
        x!.shape.length >= 1 &&
        c! > 0 &&
        w!.shape.length === 1 &&
        w!.shape[0] === c &&
        b!.shape.length === 1 &&
        b!.shape[0] === c
      );
    },
    forward([x, w, b], { eps }) {
      const n = sizeOf(x!.shape);
      const cols = lastDim(x!);
      const rows = n / cols;
      const y = allocate(n);
      const mean = allocate(rows);
      const rstd = allocate(rows);
      rt.layerNorm({ x: ptr(x!), gamma: ptr(w!), beta: ptr(b!), y, mean, rstd, rows, cols, eps });
      return {
        output: y,
        saved: [
          { buffer: mean, shape: [rows], dtype: "float32" },
          { buffer: rstd, shape: [rows], dtype: "float32" },
        ],
      };
    },
    backward(g, [x, w], _y, [mean, rstd]) {
      const n = sizeOf(x!.shape);
      const cols = lastDim(x!);
      const dx = allocate(n);
      const dgamma = allocate(cols);
      const dbeta = allocate(cols);
      rt.layerNormBackward({
        x: ptr(x!),
        dy: ptr(g),
        gamma: ptr(w!),
        mean: ptr(mean!),
        rstd: ptr(rstd!),
        dx,
        dgamma,
        dbeta,
        rows: n / cols,
        cols,
      });
      return [dx, dgamma, dbeta];
    },
  },
  gelu: {
    supports: (inputs) => isFloat(inputs),
    forward([x], { approximate }) {
      const n = sizeOf(x!.shape);
      const y = allocate(n);
      rt.gelu({ x: ptr(x!), y, n, exact: approximate === "none" });
      return { output: y, saved: [] };
    },
    backward(g, [x], _y, _saved, { approximate }) {
      const n = sizeOf(x!.shape);
      const dx = allocate(n);
      rt.geluBackward({ x: ptr(x!), dy: ptr(g), dx, n, exact: approximate === "none" });
      return [dx];
    },
  },
  crossEntropy: {
    // the kernel's ignore index is PyTorch's -100
    supports: ([logits, targets], { ignoreIndex }) =>
      ignoreIndex === -100 &&
      logits!.dtype === "float32" &&
      targets!.dtype === "int32" &&
      logits!.shape.length === 2 &&
      targets!.shape.length === 1,
    forward([logits, targets]) {
      const [rows, vocab] = logits!.shape as [number, number];
      const lse = allocate(rows);
      const { lossSum, count } = rt.crossEntropy({
        logits: ptr(logits!),
        targets: ptr(targets!),
        rows,
        vocab,
        lse,
      });
      const loss = allocate(1);
      rt.f32(loss, 1)[0] = lossSum / Math.max(count, 1);
      const saved = allocate(1);
      rt.f32(saved, 1)[0] = count;
      return {
        output: loss,
        saved: [
          { buffer: saved, shape: [], dtype: "float32" },
          { buffer: lse, shape: [rows], dtype: "float32" },
        ],
      };
    },
    backward(g, [logits, targets], _loss, [count, lse]) {
      const [rows, vocab] = logits!.shape as [number, number];
      const dlogits = allocate(rows * vocab);
      const gradScale = scalarValue(rt, g) / Math.max(scalarValue(rt, count!), 1);
      rt.crossEntropyBackward({
        logits: ptr(logits!),
        targets: ptr(targets!),
        lse: ptr(lse!),
        rows,
        vocab,
        dlogits,
        gradScale,
      });
      return [dlogits, null];
    },
  },
});
