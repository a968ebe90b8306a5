/**
 * Strided loops in plain JavaScript over views of wasm memory: `where` with broadcasting, and the
 * data-movement primitives (permute, slice, pad, broadcastTo) and broadcast arithmetic when a view
 * does not merge to the six dimensions the wasm strided kernels take (those run 3-15× faster). They
 * walk the output in row-major order and advance each input's offset incrementally, so there is no
 * per-element index division — the reason they run ~10× faster than the generic GPU.js fallback
 * kernel on the same memory.
 */

import { sizeOf, stridesOf } from "@scratchgrad/tensor";

type Arr = Float32Array | Int32Array;

/** Visits every innermost row of `shape`: calls `row(offsets)` with each operand's running offset. */
const forEachRow = (
  shape: readonly number[],
  strides: readonly (readonly number[])[],
  offsets: number[],
  row: (offs: number[]) => void,
): void => {
  const r = shape.length;
  if (shape.some((d) => d === 0)) return;
  if (r <= 1) {
    row(offsets);
    return;
  }
  const count = sizeOf(shape.slice(0, -1));
  const idx = new Array<number>(r - 1).fill(0);
  const offs = [...offsets];
  for (let c = 0; c < count; c++) {
    row(offs);
    for (let d = r - 2; d >= 0; d--) {
      idx[d]!++;
      for (let k = 0; k < offs.length; k++) offs[k]! += strides[k]![d]!;
      if (idx[d]! < shape[d]!) break;
      for (let k = 0; k < offs.length; k++) offs[k]! -= strides[k]![d]! * shape[d]!;
      idx[d] = 0;
    }
  }
};

/** dst (contiguous, `shape`) ← src read at `srcOffset + Σ idx·srcStrides`. */
export const stridedCopy = (
  src: Arr,
  srcOffset: number,
  srcStrides: readonly number[],
  dst: Arr,
  dstOffset: number,
  dstStrides: readonly number[],
  shape: readonly number[],
): void => {
  const r = shape.length;
  if (r === 0) {
    dst[dstOffset] = src[srcOffset]!;
    return;
  }
  const n = shape[r - 1]!;
  const si = srcStrides[r - 1]!;
  const di = dstStrides[r - 1]!;
  forEachRow(shape, [srcStrides, dstStrides], [srcOffset, dstOffset], ([so, dOff]) => {
    if (si === 1 && di === 1) dst.set(src.subarray(so!, so! + n), dOff!);
    else for (let j = 0; j < n; j++) dst[dOff! + j * di] = src[so! + j * si]!;
  });
};

export type ArithOp = "add" | "sub" | "mul" | "div";

/** out = a op b over the broadcast `shape`, a and b read with their (broadcast) strides. */
export const stridedArithmetic = (
  op: ArithOp,
  a: Arr,
  sa: readonly number[],
  b: Arr,
  sb: readonly number[],
  out: Arr,
  shape: readonly number[],
): void => {
  const r = shape.length;
  if (r === 0) {
    out[0] = apply(op, a[0]!, b[0]!);
    return;
  }
  const n = shape[r - 1]!;
  const ai = sa[r - 1]!;
  const bi = sb[r - 1]!;
  const so = stridesOf(shape);
  forEachRow(shape, [sa, sb, so], [0, 0, 0], ([ao, bo, oo]) => {
    let x = ao!;
    let y = bo!;
    const o = oo!;
    switch (op) {
      case "add":
        for (let j = 0; j < n; j++, x += ai, y += bi) out[o + j] = a[x]! + b[y]!;
        break;
      case "sub":
        for (let j = 0; j < n; j++, x += ai, y += bi) out[o + j] = a[x]! - b[y]!;
        break;
      case "mul":
        for (let j = 0; j < n; j++, x += ai, y += bi) out[o + j] = a[x]! * b[y]!;
        break;
      case "div":
        for (let j = 0; j < n; j++, x += ai, y += bi) out[o + j] = a[x]! / b[y]!;
        break;
    }
  });
};

const apply = (op: ArithOp, x: number, y: number): number =>
  op === "add" ? x + y : op === "sub" ? x - y : op === "mul" ? x * y : x / y;

/** out = cond ? a : b over the broadcast `shape` (cond as 0/1 int32), each read with its strides. */
export const stridedWhere = (
  cond: Int32Array,
  sc: readonly number[],
  a: Arr,
  sa: readonly number[],
  b: Arr,
  sb: readonly number[],
  out: Arr,
  shape: readonly number[],
): void => {
  const r = shape.length;
  if (r === 0) {
    out[0] = cond[0] ? a[0]! : b[0]!;
    return;
  }
  const n = shape[r - 1]!;
  const [ci, ai, bi] = [sc[r - 1]!, sa[r - 1]!, sb[r - 1]!];
  forEachRow(shape, [sc, sa, sb, stridesOf(shape)], [0, 0, 0, 0], ([co, ao, bo, oo]) => {
    for (let j = 0, c = co!, x = ao!, y = bo!; j < n; j++, c += ci, x += ai, y += bi)
      out[oo! + j] = cond[c] ? a[x]! : b[y]!;
  });
};
