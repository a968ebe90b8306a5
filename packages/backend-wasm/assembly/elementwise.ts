// Elementwise arithmetic and simple reductions over element ranges [start, end).
import { flush1, flush4, hsum } from "./simd";

// Operation codes shared with src/kernels/elementwise.ts.
const ADD = 0;
const SUB = 1;
const MUL = 2;
const DIV = 3;
const RSUB = 4; // b - a
const RDIV = 5; // b / a

/** a op b on four lanes, subnormal results flushed to ±0 (a - b of near-equal values, a * b of small ones). */
// @ts-ignore: decorator
@inline
export function op4(op: i32, a: v128, b: v128): v128 {
  return flush4(op4Raw(op, a, b));
}

/** Scalar {@link op4}. */
// @ts-ignore: decorator
@inline
export function op1(op: i32, a: f32, b: f32): f32 {
  return flush1(op1Raw(op, a, b));
}

// @ts-ignore: decorator
@inline
function op4Raw(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case ADD:
      return f32x4.add(a, b);
    case SUB:
      return f32x4.sub(a, b);
    case MUL:
      return f32x4.mul(a, b);
    case DIV:
      return f32x4.div(a, b);
    case RSUB:
      return f32x4.sub(b, a);
    default:
      return f32x4.div(b, a);
  }
}

// @ts-ignore: decorator
@inline
function op1Raw(op: i32, a: f32, b: f32): f32 {
  switch (op) {
    case ADD:
      return a + b;
    case SUB:
      return a - b;
    case MUL:
      return a * b;
    case DIV:
      return a / b;
    case RSUB:
      return b - a;
    default:
      return b / a;
  }
}

/** out[i] = a[i] op b[i]. `out` may alias an input. */
export function binary(op: i32, a: usize, b: usize, out: usize, start: i32, end: i32): void {
  let i = start;
  const end4 = start + ((end - start) & ~3);
  for (; i < end4; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, op4(op, v128.load(a + o), v128.load(b + o)));
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, op1(op, load<f32>(a + o), load<f32>(b + o)));
  }
}

/** out[i] = a[i] op s. */
export function binaryScalar(op: i32, a: usize, s: f32, out: usize, start: i32, end: i32): void {
  let i = start;
  const end4 = start + ((end - start) & ~3);
  const vs = f32x4.splat(s);
  for (; i < end4; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, op4(op, v128.load(a + o), vs));
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, op1(op, load<f32>(a + o), s));
  }
}

/** out[r, j] = a[r, j] op b[j] for rows [rowStart, rowEnd) of `cols` (bias-style broadcast). */
export function binaryRows(op: i32, a: usize, b: usize, out: usize, cols: i32, rowStart: i32, rowEnd: i32): void {
  const c4 = cols & ~3;
  for (let r = rowStart; r < rowEnd; r++) {
    const off = (<usize>r * <usize>cols) << 2;
    const ar = a + off;
    const outr = out + off;
    let j = 0;
    for (; j < c4; j += 4) {
      const o = <usize>j << 2;
      v128.store(outr + o, op4(op, v128.load(ar + o), v128.load(b + o)));
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      store<f32>(outr + o, op1(op, load<f32>(ar + o), load<f32>(b + o)));
    }
  }
}

/** out[r] = sum_j x[r, j] (accumulated in four f32 lanes). */
export function sumLastAxis(x: usize, out: usize, cols: i32, rowStart: i32, rowEnd: i32): void {
  const c4 = cols & ~3;
  for (let r = rowStart; r < rowEnd; r++) {
    const xr = x + ((<usize>r * <usize>cols) << 2);
    let v0 = f32x4.splat(0);
    let v1 = f32x4.splat(0);
    let j = 0;
    for (; j + 8 <= c4; j += 8) {
      v0 = f32x4.add(v0, v128.load(xr + (<usize>j << 2)));
      v1 = f32x4.add(v1, v128.load(xr + (<usize>j << 2), 16));
    }
    for (; j < c4; j += 4) v0 = f32x4.add(v0, v128.load(xr + (<usize>j << 2)));
    let s = hsum(f32x4.add(v0, v1));
    for (; j < cols; j++) s += load<f32>(xr + (<usize>j << 2));
    store<f32>(out + (<usize>r << 2), flush1(s));
  }
}
