// GEMM micro-kernels: a 4x8 tile of C held in 8 f32x4 accumulators, updated by kc rank-1 products
// of a 4-row A panel and an 8-column B panel, then stored as C = alpha*acc (+ C).
import { flush1, flush4, madd } from "./simd";

const MR: i32 = 4;
const NR: i32 = 8;

/** 4x8 register tile: kc rank-1 updates, then C = alpha*acc (+ C when `acc`). */
// @ts-ignore: decorator
@inline
export function micro(
  kc: i32,
  ap: usize,
  bp: usize,
  c: usize,
  ldc: i32,
  alpha: f32,
  acc: bool,
  mr: i32,
  nr: i32,
  tile: usize,
): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let av = v128.load32_splat(ap);
    c00 = madd(av, b0, c00);
    c01 = madd(av, b1, c01);
    av = v128.load32_splat(ap, 4);
    c10 = madd(av, b0, c10);
    c11 = madd(av, b1, c11);
    av = v128.load32_splat(ap, 8);
    c20 = madd(av, b0, c20);
    c21 = madd(av, b1, c21);
    av = v128.load32_splat(ap, 12);
    c30 = madd(av, b0, c30);
    c31 = madd(av, b1, c31);
    ap += 16;
    bp += 32;
  }
  const va = f32x4.splat(alpha);
  if (mr == MR && nr == NR) {
    const ld = <usize>ldc << 2;
    storeRow(c, c00, c01, va, acc);
    storeRow(c + ld, c10, c11, va, acc);
    storeRow(c + 2 * ld, c20, c21, va, acc);
    storeRow(c + 3 * ld, c30, c31, va, acc);
  } else {
    v128.store(tile, c00);
    v128.store(tile, c01, 16);
    v128.store(tile, c10, 32);
    v128.store(tile, c11, 48);
    v128.store(tile, c20, 64);
    v128.store(tile, c21, 80);
    v128.store(tile, c30, 96);
    v128.store(tile, c31, 112);
    for (let i = 0; i < mr; i++) {
      const row = c + ((<usize>i * <usize>ldc) << 2);
      for (let j = 0; j < nr; j++) {
        const dst = row + (<usize>j << 2);
        const v = alpha * load<f32>(tile + (<usize>(i * NR + j) << 2));
        store<f32>(dst, flush1(acc ? load<f32>(dst) + v : v));
      }
    }
  }
}

/** {@link micro} reading A from four row pointers instead of a packed panel. */
// @ts-ignore: decorator
@inline
export function microRows(
  kc: i32,
  a0: usize,
  a1: usize,
  a2: usize,
  a3: usize,
  bp: usize,
  c: usize,
  ldc: i32,
  alpha: f32,
  acc: bool,
  mr: i32,
  nr: i32,
  tile: usize,
): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let av = v128.load32_splat(a0);
    c00 = madd(av, b0, c00);
    c01 = madd(av, b1, c01);
    av = v128.load32_splat(a1);
    c10 = madd(av, b0, c10);
    c11 = madd(av, b1, c11);
    av = v128.load32_splat(a2);
    c20 = madd(av, b0, c20);
    c21 = madd(av, b1, c21);
    av = v128.load32_splat(a3);
    c30 = madd(av, b0, c30);
    c31 = madd(av, b1, c31);
    a0 += 4;
    a1 += 4;
    a2 += 4;
    a3 += 4;
    bp += 32;
  }
  const va = f32x4.splat(alpha);
  if (mr == MR && nr == NR) {
    const ld = <usize>ldc << 2;
    storeRow(c, c00, c01, va, acc);
    storeRow(c + ld, c10, c11, va, acc);
    storeRow(c + 2 * ld, c20, c21, va, acc);
    storeRow(c + 3 * ld, c30, c31, va, acc);
  } else {
    v128.store(tile, c00);
    v128.store(tile, c01, 16);
    v128.store(tile, c10, 32);
    v128.store(tile, c11, 48);
    v128.store(tile, c20, 64);
    v128.store(tile, c21, 80);
    v128.store(tile, c30, 96);
    v128.store(tile, c31, 112);
    for (let i = 0; i < mr; i++) {
      const row = c + ((<usize>i * <usize>ldc) << 2);
      for (let j = 0; j < nr; j++) {
        const dst = row + (<usize>j << 2);
        const v = alpha * load<f32>(tile + (<usize>(i * NR + j) << 2));
        store<f32>(dst, flush1(acc ? load<f32>(dst) + v : v));
      }
    }
  }
}

// @ts-ignore: decorator
@inline
function storeRow(p: usize, x0: v128, x1: v128, va: v128, acc: bool): void {
  // Flushed: a dot product of small values can underflow, and C is the next kernel's input.
  if (acc) {
    v128.store(p, flush4(madd(x0, va, v128.load(p))));
    v128.store(p, flush4(madd(x1, va, v128.load(p, 16))), 16);
  } else {
    v128.store(p, flush4(f32x4.mul(x0, va)));
    v128.store(p, flush4(f32x4.mul(x1, va)), 16);
  }
}
