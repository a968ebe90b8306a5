import { type FusedKernels, type FusedParams, type KernelInput, sizeOf } from "@scratchgrad/tensor";
import type { WasmRuntime } from "../runtime/create-runtime.js";
import { type Ptr, ptr, scalarValue } from "./views.js";

/** The kernel arguments shared by attention's forward and backward, from the fused op's inputs. */
const attentionArgs = (
  [q, k, v, ...masks]: readonly KernelInput[],
  { nHead, causal, scale, keyMask, dropout }: FusedParams["attention"],
) => {
  const [batch, seq, c] = q!.shape as [number, number, number];
  return {
    q: ptr(q!),
    k: ptr(k!),
    v: ptr(v!),
    mask: keyMask ? ptr(masks[0]!) : 0,
    drop: dropout ? ptr(masks[keyMask ? 1 : 0]!) : 0,
    batch,
    seq,
    heads: nHead,
    headDim: c / nHead,
    scale,
    causal,
  };
};
const lastDim = (x: KernelInput): number => x.shape[x.shape.length - 1]!;
const isFloat = (xs: readonly KernelInput[]): boolean => xs.every((x) => x.dtype === "float32");

/**
 * Fused forward and backward kernels for the composites that dominate a transformer step. Each
 * replaces 5–15 elementwise passes over full-size temporaries with one or two passes. Every buffer
 * they return becomes a tensor, so they come from `allocate`, which the backend counts as live.
 */
export const wasmFusedKernels = (rt: WasmRuntime, allocate: (size: number) => Ptr): FusedKernels => ({
  attention: {
    // Self-attention only (Tq = Tk: training and full-sequence evaluation); generation with a KV
    // cache (Tq < Tk) runs the decomposition.
    supports: ([q, k, v, ...masks], { nHead, keyMask, dropout }) => {
      const [b, t, c] = q!.shape as [number, number, number];
      const same = (x: KernelInput | undefined, shape: readonly number[]) =>
        x !== undefined &&
        x.dtype === "float32" &&
        x.shape.length === shape.length &&
        x.shape.every((n, i) => n === shape[i]);
      return (
        same(q, [b, t, c]) &&
        same(k, [b, t, c]) &&
        same(v, [b, t, c]) &&
        (c / nHead) % 4 === 0 &&
        (!keyMask || same(masks[0], [b, t])) &&
        (!dropout || same(masks[keyMask ? 1 : 0], [b, nHead, t, t]))
      );
    },
    forward(inputs, params) {
      const args = attentionArgs(inputs, params);
      const o = allocate(sizeOf(inputs[0]!.shape));
      const stats = allocate(args.batch * args.heads * args.seq * 2);
      rt.attentionForward({ ...args, o, stats });
      return {
        output: o,
        saved: [{ buffer: stats, shape: [args.batch * args.heads * args.seq, 2], dtype: "float32" }],
      };
    },
    backward(g, inputs, out, [stats], params) {
      const args = attentionArgs(inputs, params);
      const n = sizeOf(inputs[0]!.shape);
      const [dq, dk, dv] = [allocate(n), allocate(n), allocate(n)];
      rt.attentionBackward({ ...args, o: ptr(out), stats: ptr(stats!), dout: ptr(g), dq, dk, dv });
      return [dq, dk, dv, ...inputs.slice(3).map(() => null)];
    },
  },
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
