/**
 * Float64 references for the layers, built on the tensor package's primitive references: the ground
 * truth for forward values and (through finite differences) for gradients. Test-only.
 */
import { type Ref, reference } from "@scratchgrad/tensor/testing";

const { erf, matmul, zipN } = reference;

export type { Ref };

const lastDim = (x: Ref): number => x.shape[x.shape.length - 1]!;

/** x·W + b (in-out) or x·Wᵀ + b (out-in). */
export const linearRef = (x: Ref, w: Ref, b: Ref, layout: "in-out" | "out-in"): Ref =>
  zipN([matmul(x, w, false, layout === "out-in"), b], (y, bias) => y + bias);

/** LayerNorm over the last dim with biased variance. */
export const layerNormRef = (x: Ref, w: Ref, b: Ref, eps: number): Ref => {
  const n = lastDim(x);
  const out = new Float64Array(x.data.length);
  for (let r = 0; r < x.data.length / n; r++) {
    const row = x.data.subarray(r * n, (r + 1) * n);
    const mu = row.reduce((s, v) => s + v, 0) / n;
    const varc = row.reduce((s, v) => s + (v - mu) ** 2, 0) / n;
    for (let i = 0; i < n; i++)
      out[r * n + i] = ((row[i]! - mu) / Math.sqrt(varc + eps)) * w.data[i]! + b.data[i]!;
  }
  return { data: out, shape: x.shape };
};

export const geluTanhRef = (x: number): number =>
  0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
export const geluErfRef = (x: number): number => 0.5 * x * (1 + erf(x / Math.SQRT2));

/**
 * Multi-head attention of q [B, Tq, C] over k, v [B, Tk, C]; `allowed(b, i, j)` says whether query i
 * may see key j. Returns [B, Tq, C] (heads merged).
 */
export const attentionRef = (
  q: Ref,
  k: Ref,
  v: Ref,
  nHead: number,
  allowed: (b: number, i: number, j: number) => boolean,
): Ref => {
  const [B, Tq, C] = q.shape as [number, number, number];
  const Tk = k.shape[1]!;
  const D = C / nHead;
  const out = new Float64Array(B * Tq * C);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < nHead; h++) {
      for (let i = 0; i < Tq; i++) {
        const scores: number[] = [];
        for (let j = 0; j < Tk; j++) {
          if (!allowed(b, i, j)) {
            scores.push(Number.NEGATIVE_INFINITY);
            continue;
          }
          let s = 0;
          for (let d = 0; d < D; d++)
            s += q.data[(b * Tq + i) * C + h * D + d]! * k.data[(b * Tk + j) * C + h * D + d]!;
          scores.push(s / Math.sqrt(D));
        }
        const m = Math.max(...scores);
        const e = scores.map((s) => Math.exp(s - m));
        const z = e.reduce((a, c) => a + c, 0);
        for (let d = 0; d < D; d++) {
          let acc = 0;
          for (let j = 0; j < Tk; j++) acc += (e[j]! / z) * v.data[(b * Tk + j) * C + h * D + d]!;
          out[(b * Tq + i) * C + h * D + d] = acc;
        }
      }
    }
  }
  return { data: out, shape: [B, Tq, C] };
};
