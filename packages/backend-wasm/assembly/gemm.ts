// GEMM: C[b] (+)= alpha * op(A[b]) · op(B[b]), GotoBLAS-style.
//
// Loop nest (per batch item, over the C block [rowStart,rowEnd) x [colStart,colEnd)):
//   jc: columns in steps of NC     — packed B block (KC x NC, 512 KiB) lives in L2
//   pc: depth in steps of KC       — up to KC_DEEP when C is narrow (fewer passes over C)
//     pack B[pc:pc+KC, jc:jc+NC] into 8-wide column panels
//     ic: rows in steps of MC      — packed A block (MC x KC, 128 KiB; MC shrinks as KC grows) in L2
//       pack A[ic:ic+MC, pc:pc+KC] into 4-high row panels (a transposed A; else read in place,
//       or from a flushed copy of its rows when the block holds a subnormal)
//       jr: 8-column panel         — one B panel (KC x 8 = 8 KiB) stays in L1
//         ir: 4-row panel          — micro-kernel: 4x8 tile in 8 f32x4 accumulators
// V8 gives wasm 16 xmm registers and 128-bit lanes, so 8 accumulators + 2 B vectors + 1 A splat is
// the largest tile that does not spill. Packing zero-pads partial panels, so the micro-kernel always
// runs full tiles; only the store of an edge tile goes through a small scratch tile.

import { micro, microRows } from "./gemm-micro";
import { flush1, flush4, MIN_NORMAL } from "./simd";

// Tile sizes are fixed by the micro-kernels in gemm-micro.ts.
const MR: i32 = 4;
const NR: i32 = 8;
const KC: i32 = 256;
const MC: i32 = 128;
const NC: i32 = 512;
const KC_DEEP: i32 = 512;

/** Bytes of per-thread scratch one gemm call needs (packed A, packed B, one edge tile). */
export function gemmScratchBytes(): i32 {
  return (MC * KC + KC * NC + MR * NR) * 4;
}

/** How `gemm` cuts the problem into chunks: whole batch items, column blocks or row blocks of C. */
const SPLIT_BATCH = 0;
const SPLIT_COLUMNS = 1;

/**
 * Runs chunks of the product until none are left. Every participating thread calls this with the
 * same arguments (and its own `scratch`); each claims the next chunk index with an atomic add on the
 * shared `counter`, so a thread that starts late or runs slowly (a busy core) simply takes fewer
 * chunks. Chunk `i` covers batch items [i*chunk, (i+1)*chunk) (SPLIT_BATCH), columns of C
 * (SPLIT_COLUMNS) or rows of C (otherwise), clamped to the problem.
 */
export function gemm(
  counter: usize,
  chunkCount: i32,
  mode: i32,
  chunk: i32,
  batch: i32,
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  lda: i32,
  strideA: i32,
  transA: i32,
  b: usize,
  ldb: i32,
  strideB: i32,
  transB: i32,
  c: usize,
  ldc: i32,
  strideC: i32,
  alpha: f32,
  accumulate: i32,
  assumeNormal: i32,
  scratch: usize,
): void {
  for (;;) {
    const index = atomic.add<i32>(counter, 1);
    if (index >= chunkCount) return;
    const lo = index * chunk;
    let b0 = 0;
    let b1 = batch;
    let i0 = 0;
    let i1 = m;
    let j0 = 0;
    let j1 = n;
    if (mode == SPLIT_BATCH) {
      b0 = lo;
      b1 = min(batch, lo + chunk);
    } else if (mode == SPLIT_COLUMNS) {
      j0 = lo;
      j1 = min(n, lo + chunk);
    } else {
      i0 = lo;
      i1 = min(m, lo + chunk);
    }
    for (let bi = b0; bi < b1; bi++) {
      gemmOne(
        k,
        a + ((<usize>bi * <usize>strideA) << 2),
        lda,
        transA,
        b + ((<usize>bi * <usize>strideB) << 2),
        ldb,
        transB,
        c + ((<usize>bi * <usize>strideC) << 2),
        ldc,
        alpha,
        accumulate,
        assumeNormal,
        i0,
        i1,
        j0,
        j1,
        scratch,
      );
    }
  }
}

function gemmOne(
  k: i32,
  a: usize,
  lda: i32,
  transA: i32,
  b: usize,
  ldb: i32,
  transB: i32,
  c: usize,
  ldc: i32,
  alpha: f32,
  accumulate: i32,
  assumeNormal: i32,
  i0: i32,
  i1: i32,
  j0: i32,
  j1: i32,
  scratch: usize,
): void {
  if (i0 >= i1 || j0 >= j1) return;
  if (k <= 0) {
    if (!accumulate) {
      for (let i = i0; i < i1; i++) {
        memory.fill(c + ((<usize>i * <usize>ldc + <usize>j0) << 2), 0, <usize>(j1 - j0) << 2);
      }
    }
    return;
  }
  const ap = scratch;
  const bp = scratch + ((<usize>(MC * KC)) << 2);
  const tile = bp + ((<usize>(KC * NC)) << 2);
  // Every pc pass reads and writes the whole C block, so when C is narrower than NC the blocks get
  // deeper instead (up to KC_DEEP), keeping packed B (kcBlock x nc) and packed A (mcBlock x kcBlock)
  // within the same scratch: fewer passes over C for the same cache footprint.
  const ncWidest = (min(NC, j1 - j0) + NR - 1) & ~(NR - 1);
  const kcBlock = max(KC, min(KC_DEEP, ((KC * NC) / ncWidest) & ~3));
  const mcBlock = max(MR, ((MC * KC) / kcBlock) & ~(MR - 1));
  for (let jc = j0; jc < j1; jc += NC) {
    const nc = min(NC, j1 - jc);
    for (let pc = 0; pc < k; pc += kcBlock) {
      const kc = min(kcBlock, k - pc);
      const acc = accumulate != 0 || pc > 0;
      packB(b, ldb, transB, pc, kc, jc, nc, bp);
      for (let ic = i0; ic < i1; ic += mcBlock) {
        const mc = min(mcBlock, i1 - ic);
        // Packing flushes subnormals; an untransposed A is read in place unless its block holds
        // one, and then from a flushed row-major copy (a plain SIMD copy, far cheaper than
        // transposing into panels). The scan is a second read of A (up to +25% on the LM head's
        // dX = dY·W), so callers whose buffers never hold subnormals (the tensor backend's) skip it
        // with assumeNormal.
        const packA = transA != 0;
        const copied = !packA && assumeNormal == 0 && blockHasSubnormal(a, lda, ic, mc, pc, kc);
        if (packA) packTransposedA(a, lda, ic, mc, pc, kc, ap);
        else if (copied) copyRowsFlushed(a, lda, ic, mc, pc, kc, ap);
        const rowsBase = copied ? ap : a + ((<usize>ic * <usize>lda + <usize>pc) << 2);
        const rowsLd = copied ? <usize>kc << 2 : <usize>lda << 2;
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bPanel = bp + ((<usize>jr * <usize>kc) << 2);
          const cCol = c + ((<usize>(jc + jr)) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const cTile = cCol + ((<usize>(ic + ir) * <usize>ldc) << 2);
            if (packA) {
              micro(kc, ap + ((<usize>ir * <usize>kc) << 2), bPanel, cTile, ldc, alpha, acc, mr, nr, tile);
            } else {
              // Row-major A needs no packing: read its 4 rows in place (rows past the edge repeat
              // the last row; their results are dropped by the edge store).
              const a0 = rowsBase + <usize>ir * rowsLd;
              const ld = rowsLd;
              const a1 = mr > 1 ? a0 + ld : a0;
              const a2 = mr > 2 ? a0 + 2 * ld : a0;
              const a3 = mr > 3 ? a0 + 3 * ld : a0;
              microRows(kc, a0, a1, a2, a3, bPanel, cTile, ldc, alpha, acc, mr, nr, tile);
            }
          }
        }
      }
    }
  }
}

/** Packs op(B)[pc:pc+kc, jc:jc+nc] as panels of 8 columns: panel q holds kc rows of 8 floats. */
function packB(b: usize, ldb: i32, transB: i32, pc: i32, kc: i32, jc: i32, nc: i32, dst: usize): void {
  const ld = <usize>ldb << 2;
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    let d = dst + ((<usize>jr * <usize>kc) << 2);
    if (!transB) {
      // op(B)(p, j) = B[p*ldb + j]: rows of the panel are contiguous.
      let s = b + ((<usize>pc * <usize>ldb + <usize>(jc + jr)) << 2);
      if (nr == NR) {
        for (let p = 0; p < kc; p++) {
          v128.store(d, flush4(v128.load(s)));
          v128.store(d, flush4(v128.load(s, 16)), 16);
          s += ld;
          d += 32;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          v128.store(d, i32x4.splat(0));
          v128.store(d, i32x4.splat(0), 16);
          for (let j = 0; j < nr; j++) store<f32>(d + (<usize>j << 2), flush1(load<f32>(s + (<usize>j << 2))));
          s += ld;
          d += 32;
        }
      }
    } else {
      // op(B)(p, j) = B[j*ldb + p]: each panel column is a contiguous run of B; transpose 4x4 blocks.
      const s0 = b + ((<usize>(jc + jr) * <usize>ldb + <usize>pc) << 2);
      if (nr == NR) {
        let p = 0;
        for (; p + 4 <= kc; p += 4) {
          const o = <usize>p << 2;
          transpose4(s0 + o, ld, d, 32);
          transpose4(s0 + 4 * ld + o, ld, d + 16, 32);
          d += 128;
        }
        for (; p < kc; p++) {
          const o = <usize>p << 2;
          for (let j = 0; j < NR; j++) store<f32>(d + (<usize>j << 2), flush1(load<f32>(s0 + <usize>j * ld + o)));
          d += 32;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const o = <usize>p << 2;
          for (let j = 0; j < NR; j++) {
            store<f32>(d + (<usize>j << 2), j < nr ? flush1(load<f32>(s0 + <usize>j * ld + o)) : 0);
          }
          d += 32;
        }
      }
    }
  }
}

/**
 * Packs op(A)[ic:ic+mc, pc:pc+kc] of a transposed A (op(A)(i, p) = A[p*lda + i]) as panels of 4 rows:
 * panel q holds kc columns of 4 floats. An untransposed A is never packed: the micro-kernel reads its
 * rows in place (microRows).
 */
function packTransposedA(a: usize, lda: i32, ic: i32, mc: i32, pc: i32, kc: i32, dst: usize): void {
  const ld = <usize>lda << 2;
  const panelBytes = <usize>kc << 4; // kc columns of 4 floats
  // Each panel row is 4 contiguous floats of A row p. Walk 4 rows of A at a time across all panels
  // rather than one panel at a time down all kc rows: the reads stay in 4 pages (not kc pages lda*4
  // bytes apart) and every panel gets a whole 64-byte line.
  const full = mc & ~(MR - 1);
  let p = 0;
  for (; p + 4 <= kc; p += 4) {
    let s = a + ((<usize>(pc + p) * <usize>lda + <usize>ic) << 2);
    let d = dst + (<usize>p << 4);
    for (let ir = 0; ir < full; ir += MR) {
      v128.store(d, flush4(v128.load(s)));
      v128.store(d, flush4(v128.load(s + ld)), 16);
      v128.store(d, flush4(v128.load(s + 2 * ld)), 32);
      v128.store(d, flush4(v128.load(s + 3 * ld)), 48);
      s += 16;
      d += panelBytes;
    }
  }
  for (; p < kc; p++) {
    let s = a + ((<usize>(pc + p) * <usize>lda + <usize>ic) << 2);
    let d = dst + (<usize>p << 4);
    for (let ir = 0; ir < full; ir += MR) {
      v128.store(d, flush4(v128.load(s)));
      s += 16;
      d += panelBytes;
    }
  }
  if (full < mc) {
    // Last, partial panel: zero-padded rows.
    const mr = mc - full;
    let s = a + ((<usize>pc * <usize>lda + <usize>(ic + full)) << 2);
    let d = dst + <usize>(full >> 2) * panelBytes;
    for (let q = 0; q < kc; q++) {
      v128.store(d, i32x4.splat(0));
      for (let i = 0; i < mr; i++) store<f32>(d + (<usize>i << 2), flush1(load<f32>(s + (<usize>i << 2))));
      s += ld;
      d += 16;
    }
  }
}

/** Reads a 4x4 block (rows `srcStride` bytes apart) and writes its transpose (rows `dstStride` apart). */
// @ts-ignore: decorator
@inline
function transpose4(src: usize, srcStride: usize, dst: usize, dstStride: usize): void {
  const r0 = v128.load(src);
  const r1 = v128.load(src + srcStride);
  const r2 = v128.load(src + 2 * srcStride);
  const r3 = v128.load(src + 3 * srcStride);
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5); // a0 b0 a1 b1
  const t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5); // c0 d0 c1 d1
  const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7); // a2 b2 a3 b3
  const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7); // c2 d2 c3 d3
  v128.store(dst, flush4(i64x2.shuffle(t0, t1, 0, 2)));
  v128.store(dst + dstStride, flush4(i64x2.shuffle(t0, t1, 1, 3)));
  v128.store(dst + 2 * dstStride, flush4(i64x2.shuffle(t2, t3, 0, 2)));
  v128.store(dst + 3 * dstStride, flush4(i64x2.shuffle(t2, t3, 1, 3)));
}

/** Whether A[ic:ic+mc, pc:pc+kc] (row-major) holds a subnormal: one SIMD pass, 0 < |x| < 2^-126. */
function blockHasSubnormal(a: usize, lda: i32, ic: i32, mc: i32, pc: i32, kc: i32): bool {
  const zero = f32x4.splat(0);
  const minNormal = f32x4.splat(MIN_NORMAL);
  const k4 = kc & ~3;
  let found = i32x4.splat(0);
  for (let i = ic; i < ic + mc; i++) {
    const row = a + ((<usize>i * <usize>lda + <usize>pc) << 2);
    let p = 0;
    for (; p < k4; p += 4) {
      const v = f32x4.abs(v128.load(row + (<usize>p << 2)));
      found = v128.or(found, v128.and(f32x4.gt(v, zero), f32x4.lt(v, minNormal)));
    }
    for (; p < kc; p++) {
      const v = abs<f32>(load<f32>(row + (<usize>p << 2)));
      if (v > 0 && v < MIN_NORMAL) return true;
    }
    if (v128.any_true(found)) return true;
  }
  return false;
}

/**
 * Copies a row-major A[ic:ic+mc, pc:pc+kc] to `dst` as mc rows of kc floats, flushing subnormals:
 * the path for an A block that holds some.
 */
function copyRowsFlushed(a: usize, lda: i32, ic: i32, mc: i32, pc: i32, kc: i32, dst: usize): void {
  const k4 = kc & ~3;
  for (let i = 0; i < mc; i++) {
    const s = a + ((<usize>(ic + i) * <usize>lda + <usize>pc) << 2);
    const d = dst + ((<usize>i * <usize>kc) << 2);
    let p = 0;
    for (; p < k4; p += 4) v128.store(d + (<usize>p << 2), flush4(v128.load(s + (<usize>p << 2))));
    for (; p < kc; p++) store<f32>(d + (<usize>p << 2), flush1(load<f32>(s + (<usize>p << 2))));
  }
}
