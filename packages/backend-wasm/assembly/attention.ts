// Fused multi-head self-attention, forward and backward, flash-attention style: per head, four query
// rows at a time, the scores, softmax and P·V are computed in a [4, T] scratch strip, so the
// [B, H, T, T] probabilities are never written (the forward saves each row's max and 1/sum; the
// backward recomputes P from them).
//
// Layout: q, k, v, o and their gradients are [B, T, C] with head h in columns [h·D, (h+1)·D) (the
// projections' own layout: no split/merge-heads copies). `mask` (0 = none) is an additive key mask
// [B, T] (0 or a large negative number per key: padding); `causal` forbids keys after the query;
// `drop` (0 = none) is a dropout multiplier [B, H, T, T] (0 or 1/(1 - p)) applied to P before ·V.
// Work unit: one (batch, head) pair; threads claim units with an atomic counter, and each has its own
// scratch: K and V packed as GEMM panels of 8 (Tp = T rounded up to 8, D8 = D rounded up to 8,
// zero-padded), the strips S and dP [4][Tp], delta [Tp], and the dK, dV accumulators [Tp][D]. The
// products run on GEMM's 4x8 micro-kernel (gemm-micro.ts), reading the 4 rows of A in place.
import { microRows } from "./gemm-micro";
import { exp4, flush1, flush4, hmax, hsum, madd } from "./simd";

const NR: i32 = 8; // the micro-kernel's panel width

// The current unit's geometry, shared by the helpers (byte addresses and strides). Module globals
// are per instance, and every thread has its own instance, so each thread sees its own unit.
let headQ: usize = 0;
let headK: usize = 0;
let headV: usize = 0;
let headO: usize = 0;
let headMask: usize = 0; // this batch item's mask row, or 0
let headDrop: usize = 0; // this head's [T, T] multiplier, or 0
let headLd: usize = 0; // bytes between consecutive positions (C floats)
let headT: i32 = 0;
let headTp: i32 = 0;
let headD: i32 = 0;

function setHead(
  unit: i32,
  nHead: i32,
  t: i32,
  c: i32,
  d: i32,
  q: usize,
  k: usize,
  v: usize,
  o: usize,
  mask: usize,
  drop: usize,
): void {
  const b = unit / nHead;
  const h = unit % nHead;
  const base = (<usize>b * <usize>t * <usize>c + <usize>h * <usize>d) << 2;
  headQ = q + base;
  headK = k + base;
  headV = v + base;
  headO = o + base;
  headMask = mask == 0 ? 0 : mask + ((<usize>b * <usize>t) << 2);
  headDrop = drop == 0 ? 0 : drop + ((<usize>unit * <usize>t * <usize>t) << 2);
  headLd = <usize>c << 2;
  headT = t;
  headTp = (t + 7) & ~7;
  headD = d;
}

/**
 * This head's rows of `src` (T rows of D floats, `headLd` apart) as the B panels of A·srcᵀ (positions
 * as columns): panel q holds, for each of the D dims, the 8 floats of rows 8q..8q+7 (zero past T).
 */
function packPositionsAsColumns(src: usize, dst: usize): void {
  const t = headT;
  const d = headD;
  for (let jb = 0; jb < headTp; jb += NR) {
    const panel = dst + ((<usize>jb * <usize>d) << 2);
    for (let c = 0; c < NR; c++) {
      const j = jb + c;
      const row = src + <usize>j * headLd;
      for (let e = 0; e < d; e++) {
        store<f32>(panel + ((<usize>(e * NR + c)) << 2), j < t ? load<f32>(row + (<usize>e << 2)) : 0);
      }
    }
  }
}

/**
 * This head's rows of `src` as the B panels of A·src (dims as columns): panel q holds, for each of the
 * T rows, the 8 floats of dims 8q..8q+7 (zero past D).
 */
function packPositionsAsRows(src: usize, dst: usize): void {
  const t = headT;
  const d = headD;
  for (let eb = 0; eb < d; eb += NR) {
    const panel = dst + ((<usize>eb * <usize>headTp) << 2);
    for (let j = 0; j < t; j++) {
      const row = src + <usize>j * headLd;
      const out = panel + ((<usize>(j * NR)) << 2);
      for (let c = 0; c < NR; c++) {
        const e = eb + c;
        store<f32>(out + (<usize>c << 2), e < d ? load<f32>(row + (<usize>e << 2)) : 0);
      }
    }
  }
}

/** strip[r][0..jEnd8) = scale · a_r · srcᵀ for the 4 rows a0..a3 (D floats each), src packed by packPositionsAsColumns. */
function rowsTimesPositions(a0: usize, a1: usize, a2: usize, a3: usize, panels: usize, jEnd8: i32, scale: f32, strip: usize, tile: usize): void {
  const d = headD;
  for (let jb = 0; jb < jEnd8; jb += NR) {
    microRows(d, a0, a1, a2, a3, panels + ((<usize>jb * <usize>d) << 2), strip + (<usize>jb << 2), headTp, scale, false, 4, NR, tile);
  }
}

/**
 * Output rows out_r[0..D) = Σ_{j<jEnd} strip[r][j] · src row j (src packed by packPositionsAsRows),
 * for the `rows` valid rows of the strip, written `headLd` apart from `out`.
 */
function stripTimesPositions(strip: usize, panels: usize, jEnd: i32, out: usize, rows: i32, tile: usize): void {
  const tpBytes = <usize>headTp << 2;
  const d = headD;
  for (let eb = 0; eb < d; eb += NR) {
    const bp = panels + ((<usize>eb * <usize>headTp) << 2);
    microRows(jEnd, strip, strip + tpBytes, strip + 2 * tpBytes, strip + 3 * tpBytes, bp, out + (<usize>eb << 2), <i32>(headLd >> 2), 1, false, rows, min(NR, d - eb), tile);
  }
}

/**
 * acc row j [0..D) += Σ_r strip[r][j] · rows[r] for j < jEnd (acc: [Tp][D] scratch): dK += dSᵀ·Q and
 * dV += P̃ᵀ·dO for one strip of 4 query rows. Rows past the sequence end have a zero strip row.
 */
function accumulateTransposed(strip: usize, a0: usize, a1: usize, a2: usize, a3: usize, jEnd: i32, acc: usize): void {
  const tpBytes = <usize>headTp << 2;
  const d = headD;
  const rowBytes = <usize>d << 2;
  let e = 0;
  for (; e + 8 <= d; e += 8) {
    const o = <usize>e << 2;
    const x00 = v128.load(a0 + o);
    const x01 = v128.load(a0 + o, 16);
    const x10 = v128.load(a1 + o);
    const x11 = v128.load(a1 + o, 16);
    const x20 = v128.load(a2 + o);
    const x21 = v128.load(a2 + o, 16);
    const x30 = v128.load(a3 + o);
    const x31 = v128.load(a3 + o, 16);
    let dst = acc + o;
    for (let j = 0; j < jEnd; j++) {
      const s = strip + (<usize>j << 2);
      const w0 = v128.load32_splat(s);
      const w1 = v128.load32_splat(s + tpBytes);
      const w2 = v128.load32_splat(s + 2 * tpBytes);
      const w3 = v128.load32_splat(s + 3 * tpBytes);
      let y0 = madd(w0, x00, v128.load(dst));
      let y1 = madd(w0, x01, v128.load(dst, 16));
      y0 = madd(w1, x10, y0);
      y1 = madd(w1, x11, y1);
      y0 = madd(w2, x20, y0);
      y1 = madd(w2, x21, y1);
      y0 = madd(w3, x30, y0);
      y1 = madd(w3, x31, y1);
      v128.store(dst, y0);
      v128.store(dst, y1, 16);
      dst += rowBytes;
    }
  }
  for (; e < d; e += 4) {
    const o = <usize>e << 2;
    const x0 = v128.load(a0 + o);
    const x1 = v128.load(a1 + o);
    const x2 = v128.load(a2 + o);
    const x3 = v128.load(a3 + o);
    let dst = acc + o;
    for (let j = 0; j < jEnd; j++) {
      const s = strip + (<usize>j << 2);
      let y = madd(v128.load32_splat(s), x0, v128.load(dst));
      y = madd(v128.load32_splat(s + tpBytes), x1, y);
      y = madd(v128.load32_splat(s + 2 * tpBytes), x2, y);
      y = madd(v128.load32_splat(s + 3 * tpBytes), x3, y);
      v128.store(dst, y);
      dst += rowBytes;
    }
  }
}

/**
 * Scores row r of the strip (query i) after scaling: adds the key mask, sets keys past `limit` (the
 * causal boundary or T) to -inf up to jEnd8, and returns the row max over the allowed keys.
 */
function maskRow(row: usize, limit: i32, jEnd8: i32): f32 {
  if (headMask != 0) {
    let j = 0;
    for (; j + 4 <= limit; j += 4) {
      const o = <usize>j << 2;
      v128.store(row + o, f32x4.add(v128.load(row + o), v128.load(headMask + o)));
    }
    for (; j < limit; j++) {
      const o = <usize>j << 2;
      store<f32>(row + o, load<f32>(row + o) + load<f32>(headMask + o));
    }
  }
  for (let j = limit; j < jEnd8; j++) store<f32>(row + (<usize>j << 2), -Infinity);
  let vm = f32x4.splat(-Infinity);
  for (let j = 0; j < jEnd8; j += 4) vm = f32x4.pmax(vm, v128.load(row + (<usize>j << 2)));
  return hmax(vm);
}

/** row[j] = exp(row[j] - shift) over [0, jEnd8) (flushed; exp4 gives exactly 0 at -inf); returns the sum. */
function expRow(row: usize, shift: f32, jEnd8: i32): f32 {
  const vshift = f32x4.splat(shift);
  let vsum = f32x4.splat(0);
  for (let j = 0; j < jEnd8; j += 4) {
    const o = <usize>j << 2;
    const e = exp4(f32x4.sub(v128.load(row + o), vshift));
    v128.store(row + o, e);
    vsum = f32x4.add(vsum, e);
  }
  return hsum(vsum);
}

/** Pointer to query row i of `base` (this head), or of row `i0` when i is past the end (results dropped). */
// @ts-ignore: decorator
@inline
function rowAt(base: usize, i: i32, i0: i32): usize {
  return base + <usize>(i < headT ? i : i0) * headLd;
}

/**
 * Forward over units [claimed from counter]: o = softmax(q·kᵀ·scale + mask)·v per head (with the
 * dropout multiplier on the probabilities when `drop` != 0); stats[unit][i] = (row max, 1/row sum).
 */
export function attentionForward(
  counter: usize,
  units: i32,
  nHead: i32,
  t: i32,
  c: i32,
  d: i32,
  q: usize,
  k: usize,
  v: usize,
  o: usize,
  mask: usize,
  drop: usize,
  stats: usize,
  scale: f32,
  causal: i32,
  scratch: usize,
): void {
  const tp = (t + 7) & ~7;
  const tpBytes = <usize>tp << 2;
  const d8Bytes = <usize>((d + 7) & ~7) << 2;
  const kPanels = scratch; // K as columns: [Tp/8][D][8]
  const vPanels = kPanels + <usize>d * tpBytes; // V as rows: [D8/8][Tp][8]
  const strip = vPanels + d8Bytes * <usize>tp;
  const tile = strip + 4 * tpBytes; // the micro-kernel's 4x8 edge tile
  for (;;) {
    const unit = atomic.add<i32>(counter, 1);
    if (unit >= units) return;
    setHead(unit, nHead, t, c, d, q, k, v, o, mask, drop);
    packPositionsAsColumns(headK, kPanels);
    packPositionsAsRows(headV, vPanels);
    for (let i0 = 0; i0 < t; i0 += 4) {
      const jEnd = causal ? min(t, i0 + 4) : t;
      const jEnd8 = (jEnd + 7) & ~7;
      rowsTimesPositions(rowAt(headQ, i0, i0), rowAt(headQ, i0 + 1, i0), rowAt(headQ, i0 + 2, i0), rowAt(headQ, i0 + 3, i0), kPanels, jEnd8, scale, strip, tile);
      for (let r = 0; r < 4; r++) {
        const row = strip + <usize>r * tpBytes;
        const i = i0 + r;
        if (i >= t) {
          memory.fill(row, 0, tpBytes); // past the end: not stored
          continue;
        }
        const limit = causal ? i + 1 : t;
        const m = maskRow(row, limit, jEnd8);
        const sum = expRow(row, m, jEnd8);
        const inv = <f32>1.0 / sum;
        const vinv = f32x4.splat(inv);
        const dropRow = headDrop + ((<usize>i * <usize>t) << 2);
        let j = 0;
        if (headDrop != 0) {
          for (; j + 4 <= jEnd; j += 4) {
            const off = <usize>j << 2;
            v128.store(row + off, flush4(f32x4.mul(f32x4.mul(v128.load(row + off), vinv), v128.load(dropRow + off))));
          }
          for (; j < jEnd; j++) {
            const off = <usize>j << 2;
            store<f32>(row + off, flush1(load<f32>(row + off) * inv * load<f32>(dropRow + off)));
          }
        } else {
          for (; j + 4 <= jEnd8; j += 4) {
            const off = <usize>j << 2;
            v128.store(row + off, flush4(f32x4.mul(v128.load(row + off), vinv)));
          }
        }
        // The row max and 1/sum, not their logsumexp: beside a -1e9 (padding) max, m + log(sum)
        // would round away log(sum) and the backward pass would recompute the wrong P.
        const at = stats + ((<usize>unit * <usize>t + <usize>i) << 3);
        store<f32>(at, m);
        store<f32>(at, inv, 4);
      }
      stripTimesPositions(strip, vPanels, jEnd, headO + <usize>i0 * headLd, min(4, t - i0), tile);
    }
  }
}

/**
 * Backward over units: from dO (`dout`, laid out as o) and the forward's o and stats, writes dq, dk and
 * dv ([B, T, C]). Per strip of 4 query rows: P = exp(s - max)/sum recomputed from the stats, dP̃ = dO·vᵀ, and with
 * δ_i = dO_i·o_i: dS = P ∘ (dP̃ ∘ M - δ) · scale, dq = dS·k, dk += dSᵀ·q, dv += (P ∘ M)ᵀ·dO.
 */
export function attentionBackward(
  counter: usize,
  units: i32,
  nHead: i32,
  t: i32,
  c: i32,
  d: i32,
  q: usize,
  k: usize,
  v: usize,
  o: usize,
  dout: usize,
  mask: usize,
  drop: usize,
  stats: usize,
  dq: usize,
  dk: usize,
  dv: usize,
  scale: f32,
  causal: i32,
  scratch: usize,
): void {
  const tp = (t + 7) & ~7;
  const tpBytes = <usize>tp << 2;
  const headBytes = <usize>d * tpBytes; // [Tp/8][D][8] or [Tp][D]
  const kColumns = scratch; // K as columns, for Q·Kᵀ
  const vColumns = kColumns + headBytes; // V as columns, for dO·Vᵀ
  const kRows = vColumns + headBytes; // K as rows, for dS·K: [D8/8][Tp][8]
  const strip = kRows + (<usize>((d + 7) & ~7) << 2) * <usize>tp; // P, then P ∘ M
  const dstrip = strip + 4 * tpBytes; // dP̃, then dS
  const delta = dstrip + 4 * tpBytes;
  const dkAcc = delta + tpBytes;
  const dvAcc = dkAcc + headBytes;
  const tile = dvAcc + headBytes;
  const rowBytes = <usize>d << 2;
  for (;;) {
    const unit = atomic.add<i32>(counter, 1);
    if (unit >= units) return;
    setHead(unit, nHead, t, c, d, q, k, v, o, mask, drop);
    const base = headQ - q; // this head's byte offset within every [B, T, C] tensor
    const dO = dout + base;
    packPositionsAsColumns(headK, kColumns);
    packPositionsAsColumns(headV, vColumns);
    packPositionsAsRows(headK, kRows);
    memory.fill(dkAcc, 0, 2 * headBytes);
    for (let i = 0; i < t; i++) {
      const a = dO + <usize>i * headLd;
      const b = headO + <usize>i * headLd;
      let acc = f32x4.splat(0);
      let e = 0;
      for (; e + 4 <= d; e += 4) acc = madd(v128.load(a + (<usize>e << 2)), v128.load(b + (<usize>e << 2)), acc);
      let s = hsum(acc);
      for (; e < d; e++) s += load<f32>(a + (<usize>e << 2)) * load<f32>(b + (<usize>e << 2));
      store<f32>(delta + (<usize>i << 2), s);
    }
    for (let i0 = 0; i0 < t; i0 += 4) {
      const jEnd = causal ? min(t, i0 + 4) : t;
      const jEnd8 = (jEnd + 7) & ~7;
      const q0 = rowAt(headQ, i0, i0);
      const q1 = rowAt(headQ, i0 + 1, i0);
      const q2 = rowAt(headQ, i0 + 2, i0);
      const q3 = rowAt(headQ, i0 + 3, i0);
      const g0 = rowAt(dO, i0, i0);
      const g1 = rowAt(dO, i0 + 1, i0);
      const g2 = rowAt(dO, i0 + 2, i0);
      const g3 = rowAt(dO, i0 + 3, i0);
      rowsTimesPositions(q0, q1, q2, q3, kColumns, jEnd8, scale, strip, tile);
      rowsTimesPositions(g0, g1, g2, g3, vColumns, jEnd8, 1, dstrip, tile);
      for (let r = 0; r < 4; r++) {
        const row = strip + <usize>r * tpBytes;
        const drow = dstrip + <usize>r * tpBytes;
        const i = i0 + r;
        if (i >= t) {
          memory.fill(row, 0, tpBytes);
          memory.fill(drow, 0, tpBytes);
          continue;
        }
        maskRow(row, causal ? i + 1 : t, jEnd8);
        const at = stats + ((<usize>unit * <usize>t + <usize>i) << 3);
        expRow(row, load<f32>(at), jEnd8);
        const vinv = f32x4.splat(load<f32>(at, 4));
        const vdelta = f32x4.splat(load<f32>(delta + (<usize>i << 2)));
        const vs = f32x4.splat(scale);
        const dropRow = headDrop + ((<usize>i * <usize>t) << 2);
        let j = 0;
        if (headDrop != 0) {
          for (; j + 4 <= jEnd; j += 4) {
            const off = <usize>j << 2;
            const p = flush4(f32x4.mul(v128.load(row + off), vinv));
            const mk = v128.load(dropRow + off);
            const ds = f32x4.mul(f32x4.mul(p, f32x4.sub(f32x4.mul(v128.load(drow + off), mk), vdelta)), vs);
            v128.store(drow + off, flush4(ds));
            v128.store(row + off, flush4(f32x4.mul(p, mk)));
          }
          for (; j < jEnd; j++) {
            const off = <usize>j << 2;
            const p = flush1(load<f32>(row + off) * f32x4.extract_lane(vinv, 0));
            const mk = load<f32>(dropRow + off);
            store<f32>(drow + off, flush1(p * (load<f32>(drow + off) * mk - f32x4.extract_lane(vdelta, 0)) * scale));
            store<f32>(row + off, flush1(p * mk));
          }
          for (; j < jEnd8; j++) {
            store<f32>(drow + (<usize>j << 2), 0);
            store<f32>(row + (<usize>j << 2), 0);
          }
        } else {
          for (; j < jEnd8; j += 4) {
            const off = <usize>j << 2;
            const p = flush4(f32x4.mul(v128.load(row + off), vinv));
            v128.store(row + off, p);
            v128.store(drow + off, flush4(f32x4.mul(f32x4.mul(p, f32x4.sub(v128.load(drow + off), vdelta)), vs)));
          }
        }
      }
      stripTimesPositions(dstrip, kRows, jEnd, dq + base + <usize>i0 * headLd, min(4, t - i0), tile);
      accumulateTransposed(dstrip, q0, q1, q2, q3, jEnd, dkAcc);
      accumulateTransposed(strip, g0, g1, g2, g3, jEnd, dvAcc);
    }
    for (let j = 0; j < t; j++) {
      const kRow = dk + base + <usize>j * headLd;
      const vRow = dv + base + <usize>j * headLd;
      const ka = dkAcc + <usize>j * rowBytes;
      const va = dvAcc + <usize>j * rowBytes;
      for (let e = 0; e < d; e += 4) {
        const off = <usize>e << 2;
        v128.store(kRow + off, flush4(v128.load(ka + off)));
        v128.store(vRow + off, flush4(v128.load(va + off)));
      }
    }
  }
}
