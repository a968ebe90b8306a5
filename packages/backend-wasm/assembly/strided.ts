// Strided data movement and broadcast arithmetic over up to 6 dimensions. Operands are read (and a
// copy's destination written) at `offset + sum(index[d] * stride[d])` with strides in elements
// (0 broadcasts); binaryStrided's output is contiguous (row-major). Threads split the rows: the
// flattened outer dimensions [start, end).
// Elements are 4 bytes (f32 or i32: copies move bits).

import { op1, op4 } from "./elementwise"; // op codes 0..3: add, sub, mul, div

/**
 * dst[sum index * dstStride] = src[sum index * srcStride] for rows [start, end) of shape s0..s5 (a
 * row: the innermost dimension; rows are numbered in row-major order of the outer five). `src == 0`
 * writes zeros instead (address 0 is never a buffer): the border of a pad.
 */
export function stridedCopy(
  src: usize,
  dst: usize,
  s0: i32,
  s1: i32,
  s2: i32,
  s3: i32,
  s4: i32,
  s5: i32,
  t0: i32,
  t1: i32,
  t2: i32,
  t3: i32,
  t4: i32,
  t5: i32,
  d0: i32,
  d1: i32,
  d2: i32,
  d3: i32,
  d4: i32,
  d5: i32,
  start: i32,
  end: i32,
): void {
  if (start >= end || s5 == 0) return;
  // Odometer over the 5 outer dimensions, started from `start`.
  let rest = start;
  let i4 = rest % s4;
  rest /= s4;
  let i3 = rest % s3;
  rest /= s3;
  let i2 = rest % s2;
  rest /= s2;
  let i1 = rest % s1;
  let i0 = rest / s1;
  let off: isize = <isize>i0 * t0 + <isize>i1 * t1 + <isize>i2 * t2 + <isize>i3 * t3 + <isize>i4 * t4;
  let offD: isize = <isize>i0 * d0 + <isize>i1 * d1 + <isize>i2 * d2 + <isize>i3 * d3 + <isize>i4 * d4;
  const rowBytes = <usize>s5 << 2;
  const srcStep = <isize>t5 << 2;
  const dstStep = <isize>d5 << 2;
  for (let r = start; r < end; r++) {
    const out = dst + (<usize>offD << 2);
    const from = src + (<usize>off << 2);
    if (d5 == 1 && src == 0) {
      memory.fill(out, 0, rowBytes);
    } else if (d5 == 1 && t5 == 1) {
      memory.copy(out, from, rowBytes);
    } else if (d5 == 1 && t5 == 0) {
      // broadcast along the row
      const v = v128.load32_splat(from);
      let j: usize = 0;
      for (; j + 16 <= rowBytes; j += 16) v128.store(out + j, v);
      for (; j < rowBytes; j += 4) v128.store32_lane(out + j, v, 0);
    } else {
      let p = <isize>from;
      let q = <isize>out;
      for (let j = 0; j < s5; j++) {
        store<u32>(<usize>q, src == 0 ? 0 : load<u32>(<usize>p));
        p += srcStep;
        q += dstStep;
      }
    }
    // advance the odometer
    i4++;
    off += t4;
    offD += d4;
    if (i4 == s4) {
      i4 = 0;
      off -= <isize>t4 * s4;
      offD -= <isize>d4 * s4;
      i3++;
      off += t3;
      offD += d3;
      if (i3 == s3) {
        i3 = 0;
        off -= <isize>t3 * s3;
        offD -= <isize>d3 * s3;
        i2++;
        off += t2;
        offD += d2;
        if (i2 == s2) {
          i2 = 0;
          off -= <isize>t2 * s2;
          offD -= <isize>d2 * s2;
          i1++;
          off += t1;
          offD += d1;
          if (i1 == s1) {
            i1 = 0;
            off -= <isize>t1 * s1;
            offD -= <isize>d1 * s1;
            i0++;
            off += t0;
            offD += d0;
          }
        }
      }
    }
  }
}

/**
 * out[row-major index] = a[sum index * aStride] op b[sum index * bStride] (op: 0 add, 1 sub, 2 mul,
 * 3 div) for output rows [start, end) of shape s0..s5.
 */
export function binaryStrided(
  op: i32,
  a: usize,
  b: usize,
  out: usize,
  s0: i32,
  s1: i32,
  s2: i32,
  s3: i32,
  s4: i32,
  s5: i32,
  a0: i32,
  a1: i32,
  a2: i32,
  a3: i32,
  a4: i32,
  a5: i32,
  b0: i32,
  b1: i32,
  b2: i32,
  b3: i32,
  b4: i32,
  b5: i32,
  start: i32,
  end: i32,
): void {
  if (start >= end || s5 == 0) return;
  let rest = start;
  let i4 = rest % s4;
  rest /= s4;
  let i3 = rest % s3;
  rest /= s3;
  let i2 = rest % s2;
  rest /= s2;
  let i1 = rest % s1;
  let i0 = rest / s1;
  let offA: isize = <isize>i0 * a0 + <isize>i1 * a1 + <isize>i2 * a2 + <isize>i3 * a3 + <isize>i4 * a4;
  let offB: isize = <isize>i0 * b0 + <isize>i1 * b1 + <isize>i2 * b2 + <isize>i3 * b3 + <isize>i4 * b4;
  const n4 = s5 & ~3;
  let o = out + ((<usize>start * <usize>s5) << 2);
  for (let r = start; r < end; r++) {
    const pa = a + (<usize>offA << 2);
    const pb = b + (<usize>offB << 2);
    let j = 0;
    if (a5 == 1 && b5 == 1) {
      for (; j < n4; j += 4) {
        const x = <usize>j << 2;
        v128.store(o + x, op4(op, v128.load(pa + x), v128.load(pb + x)));
      }
    } else if (a5 == 1 && b5 == 0) {
      const vb = v128.load32_splat(pb);
      for (; j < n4; j += 4) {
        const x = <usize>j << 2;
        v128.store(o + x, op4(op, v128.load(pa + x), vb));
      }
    } else if (a5 == 0 && b5 == 1) {
      const va = v128.load32_splat(pa);
      for (; j < n4; j += 4) {
        const x = <usize>j << 2;
        v128.store(o + x, op4(op, va, v128.load(pb + x)));
      }
    }
    const sa = <isize>a5;
    const sb = <isize>b5;
    for (; j < s5; j++) {
      const va = load<f32>(a + (<usize>(offA + <isize>j * sa) << 2));
      const vb = load<f32>(b + (<usize>(offB + <isize>j * sb) << 2));
      store<f32>(o + (<usize>j << 2), op1(op, va, vb));
    }
    o += <usize>s5 << 2;
    i4++;
    offA += a4;
    offB += b4;
    if (i4 == s4) {
      i4 = 0;
      offA -= <isize>a4 * s4;
      offB -= <isize>b4 * s4;
      i3++;
      offA += a3;
      offB += b3;
      if (i3 == s3) {
        i3 = 0;
        offA -= <isize>a3 * s3;
        offB -= <isize>b3 * s3;
        i2++;
        offA += a2;
        offB += b2;
        if (i2 == s2) {
          i2 = 0;
          offA -= <isize>a2 * s2;
          offB -= <isize>b2 * s2;
          i1++;
          offA += a1;
          offB += b1;
          if (i1 == s1) {
            i1 = 0;
            offA -= <isize>a1 * s1;
            offB -= <isize>b1 * s1;
            i0++;
            offA += a0;
            offB += b0;
          }
        }
      }
    }
  }
}
