/**
 * A float64 plain-JS reference for every primitive: the ground truth the kernels' forward values and
 * the VJP rules (through central finite differences) are tested against.
 */
export interface Ref {
  readonly data: Float64Array;
  readonly shape: readonly number[];
}

export const ref = (data: ArrayLike<number>, shape: readonly number[]): Ref => ({
  data: Float64Array.from(data),
  shape: [...shape],
});

const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
const strides = (s: readonly number[]): number[] => {
  const out = new Array<number>(s.length);
  let k = 1;
  for (let i = s.length - 1; i >= 0; i--) {
    out[i] = k;
    k *= s[i]!;
  }
  return out;
};
const unravel = (i: number, s: readonly number[]): number[] => {
  const idx = new Array<number>(s.length);
  for (let d = s.length - 1; d >= 0; d--) {
    idx[d] = i % s[d]!;
    i = Math.floor(i / s[d]!);
  }
  return idx;
};
const broadcastShape = (...ss: (readonly number[])[]): number[] => {
  const r = Math.max(...ss.map((s) => s.length));
  return Array.from({ length: r }, (_, i) => Math.max(...ss.map((s) => s[s.length - r + i] ?? 1)));
};
const readAt = (a: Ref, idx: readonly number[]): number => {
  const st = strides(a.shape);
  const off = idx.length - a.shape.length;
  let o = 0;
  for (let d = 0; d < a.shape.length; d++) o += (a.shape[d] === 1 ? 0 : idx[d + off]!) * st[d]!;
  return a.data[o]!;
};

export const map = (a: Ref, fn: (x: number) => number): Ref => ({ data: a.data.map(fn), shape: a.shape });

export const zipN = (inputs: readonly Ref[], fn: (...xs: number[]) => number): Ref => {
  const shape = broadcastShape(...inputs.map((x) => x.shape));
  const data = new Float64Array(size(shape));
  for (let i = 0; i < data.length; i++) {
    const idx = unravel(i, shape);
    data[i] = fn(...inputs.map((x) => readAt(x, idx)));
  }
  return { data, shape };
};

export const reduce = (
  a: Ref,
  axes: readonly number[],
  keepdims: boolean,
  init: number,
  fn: (acc: number, x: number) => number,
): Ref => {
  const outFull = a.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const data = new Float64Array(size(outFull)).fill(init);
  const ost = strides(outFull);
  for (let i = 0; i < a.data.length; i++) {
    const idx = unravel(i, a.shape);
    let o = 0;
    idx.forEach((v, d) => {
      if (!axes.includes(d)) o += v * ost[d]!;
    });
    data[o] = fn(data[o]!, a.data[i]!);
  }
  return { data, shape: keepdims ? outFull : a.shape.filter((_, i) => !axes.includes(i)) };
};

export const matmul = (a: Ref, b: Ref, transA: boolean, transB: boolean): Ref => {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const [m, k] = transA ? [a.shape[ra - 1]!, a.shape[ra - 2]!] : [a.shape[ra - 2]!, a.shape[ra - 1]!];
  const n = transB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  const batch = broadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const shape = [...batch, m, n];
  const data = new Float64Array(size(shape));
  for (let i = 0; i < data.length; i++) {
    const idx = unravel(i, shape);
    const bi = idx.slice(0, -2);
    const [mi, ni] = idx.slice(-2) as [number, number];
    let acc = 0;
    for (let kk = 0; kk < k; kk++) {
      const av = readAt(a, [...bi, ...(transA ? [kk, mi] : [mi, kk])]);
      const bv = readAt(b, [...bi, ...(transB ? [ni, kk] : [kk, ni])]);
      acc += av * bv;
    }
    data[i] = acc;
  }
  return { data, shape };
};

export const permute = (a: Ref, axes: readonly number[]): Ref => {
  const shape = axes.map((x) => a.shape[x]!);
  const st = strides(a.shape);
  const data = new Float64Array(a.data.length);
  for (let i = 0; i < data.length; i++) {
    const idx = unravel(i, shape);
    data[i] = a.data[idx.reduce((o, v, d) => o + v * st[axes[d]!]!, 0)]!;
  }
  return { data, shape };
};

export const broadcastTo = (a: Ref, shape: readonly number[]): Ref =>
  zipN([a, { data: new Float64Array(size(shape)), shape }], (x) => x);

export const slice = (a: Ref, starts: readonly number[], ends: readonly number[]): Ref => {
  const shape = starts.map((s, i) => ends[i]! - s);
  const data = new Float64Array(size(shape));
  for (let i = 0; i < data.length; i++)
    data[i] = readAt(
      a,
      unravel(i, shape).map((v, d) => v + starts[d]!),
    );
  return { data, shape };
};

export const pad = (a: Ref, before: readonly number[], after: readonly number[]): Ref => {
  const shape = a.shape.map((d, i) => d + before[i]! + after[i]!);
  const data = new Float64Array(size(shape));
  for (let i = 0; i < data.length; i++) {
    const idx = unravel(i, shape).map((v, d) => v - before[d]!);
    if (idx.every((v, d) => v >= 0 && v < a.shape[d]!)) data[i] = readAt(a, idx);
  }
  return { data, shape };
};

export const concat = (xs: readonly Ref[], axis: number): Ref => {
  const shape = xs[0]!.shape.map((d, i) => (i === axis ? xs.reduce((s, x) => s + x.shape[axis]!, 0) : d));
  const data = new Float64Array(size(shape));
  for (let i = 0; i < data.length; i++) {
    const idx = unravel(i, shape);
    let j = 0;
    let start = 0;
    while (idx[axis]! >= start + xs[j]!.shape[axis]!) start += xs[j++]!.shape[axis]!;
    data[i] = readAt(
      xs[j]!,
      idx.map((v, d) => (d === axis ? v - start : v)),
    );
  }
  return { data, shape };
};

export const gather = (a: Ref, ids: readonly number[], idsShape: readonly number[], axis: number): Ref => {
  const shape = [...a.shape.slice(0, axis), ...idsShape, ...a.shape.slice(axis + 1)];
  const r = idsShape.length;
  const data = new Float64Array(size(shape));
  for (let i = 0; i < data.length; i++) {
    const idx = unravel(i, shape);
    const q = idx.slice(axis, axis + r).reduce((o, v, d) => o * idsShape[d]! + v, 0);
    data[i] = readAt(a, [...idx.slice(0, axis), ids[q]!, ...idx.slice(axis + r)]);
  }
  return { data, shape };
};

export const scatterAdd = (
  u: Ref,
  ids: readonly number[],
  idsShape: readonly number[],
  axis: number,
  n: number,
): Ref => {
  const r = idsShape.length;
  const shape = [...u.shape.slice(0, axis), n, ...u.shape.slice(axis + r)];
  const st = strides(shape);
  const data = new Float64Array(size(shape));
  for (let i = 0; i < u.data.length; i++) {
    const idx = unravel(i, u.shape);
    const q = idx.slice(axis, axis + r).reduce((o, v, d) => o * idsShape[d]! + v, 0);
    const outIdx = [...idx.slice(0, axis), ids[q]!, ...idx.slice(axis + r)];
    data[outIdx.reduce((o, v, d) => o + v * st[d]!, 0)] += u.data[i]!;
  }
  return { data, shape };
};

/** erf to double precision (Abramowitz–Stegun 7.1.26 is not enough here: use a series/continued fraction). */
export const erf = (x: number): number => {
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // Maclaurin series: erf x = 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1))
    let term = ax;
    let sum = ax;
    for (let n = 1; n < 80; n++) {
      term *= (-ax * ax) / n;
      sum += term / (2 * n + 1);
    }
    return Math.sign(x) * ((2 / Math.sqrt(Math.PI)) * sum);
  }
  // continued fraction for erfc
  let f = 0;
  for (let n = 60; n >= 1; n--) f = n / 2 / (ax + f);
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
  return Math.sign(x) * (1 - erfc);
};
