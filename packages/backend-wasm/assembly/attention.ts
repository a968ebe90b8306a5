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
// scratch: Kt and Vt [D][Tp] (K, V transposed, Tp = T rounded up to 8, zero-padded), S and dP
// [4][Tp], delta [Tp], and the dK, dV accumulators [Tp][D].
import { exp4, flush1, flush4, hmax, hsum, madd } from "./simd";

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

/** dst[e][j] = src row j, column e, for j < t; columns t..tp-1 are zero. */
function transposeHead(src: usize, dst: usize): void {
  const t = headT;
  const tp = headTp;
  const d = headD;
  for (let j = 0; j < t; j++) {
    const row = src + <usize>j * headLd;
    for (let e = 0; e < d; e++) store<f32>(dst + ((<usize>e * <usize>tp + <usize>j) << 2), load<f32>(row + (<usize>e << 2)));
  }
  for (let e = 0; e < d; e++) {
    for (let j = t; j < tp; j++) store<f32>(dst + ((<usize>e * <usize>tp + <usize>j) << 2), 0);
  }
}

/**
 * strip[r][0..jEnd8) = scale · rows[r] · Bt[:, 0..jEnd8) for the 4 rows at a0..a3 (D floats each),
 * with Bt [D][Tp] (K or V transposed): a 4x8 register tile per 8 columns, as the GEMM micro-kernel.
 */
function rowsTimesTransposed(a0: usize, a1: usize, a2: usize, a3: usize, bt: usize, jEnd8: i32, scale: f32, strip: usize): void {
  const tpBytes = <usize>headTp << 2;
  const d = headD;
  const vs = f32x4.splat(scale);
  for (let jb = 0; jb < jEnd8; jb += 8) {
    let c00 = f32x4.splat(0);
    let c01 = f32x4.splat(0);
    let c10 = f32x4.splat(0);
    let c11 = f32x4.splat(0);
    let c20 = f32x4.splat(0);
    let c21 = f32x4.splat(0);
    let c30 = f32x4.splat(0);
    let c31 = f32x4.splat(0);
    let bp = bt + (<usize>jb << 2);
    for (let e = 0; e < d; e++) {
      const o = <usize>e << 2;
      const b0 = v128.load(bp);
      const b1 = v128.load(bp, 16);
      let av = v128.load32_splat(a0 + o);
      c00 = madd(av, b0, c00);
      c01 = madd(av, b1, c01);
      av = v128.load32_splat(a1 + o);
      c10 = madd(av, b0, c10);
      c11 = madd(av, b1, c11);
      av = v128.load32_splat(a2 + o);
      c20 = madd(av, b0, c20);
      c21 = madd(av, b1, c21);
      av = v128.load32_splat(a3 + o);
      c30 = madd(av, b0, c30);
      c31 = madd(av, b1, c31);
      bp += tpBytes;
    }
    const s = strip + (<usize>jb << 2);
    v128.store(s, flush4(f32x4.mul(c00, vs)));
    v128.store(s, flush4(f32x4.mul(c01, vs)), 16);
    v128.store(s + tpBytes, flush4(f32x4.mul(c10, vs)));
    v128.store(s + tpBytes, flush4(f32x4.mul(c11, vs)), 16);
    v128.store(s + 2 * tpBytes, flush4(f32x4.mul(c20, vs)));
    v128.store(s + 2 * tpBytes, flush4(f32x4.mul(c21, vs)), 16);
    v128.store(s + 3 * tpBytes, flush4(f32x4.mul(c30, vs)));
    v128.store(s + 3 * tpBytes, flush4(f32x4.mul(c31, vs)), 16);
  }
}

/**
 * out_r[0..D) = Σ_{j<jEnd} strip[r][j] · src row j (src: K, V or dO rows of this head, `headLd`
 * apart), flushed, for the 4 output rows at o0..o3: 8 columns at a time in 8 accumulators, then 4.
 */
function stripTimesRows(strip: usize, src: usize, jEnd: i32, o0: usize, o1: usize, o2: usize, o3: usize): void {
  const tpBytes = <usize>headTp << 2;
  const d = headD;
  let e = 0;
  for (; e + 8 <= d; e += 8) {
    let c00 = f32x4.splat(0);
    let c01 = f32x4.splat(0);
    let c10 = f32x4.splat(0);
    let c11 = f32x4.splat(0);
    let c20 = f32x4.splat(0);
    let c21 = f32x4.splat(0);
    let c30 = f32x4.splat(0);
    let c31 = f32x4.splat(0);
    let row = src + (<usize>e << 2);
    for (let j = 0; j < jEnd; j++) {
      const b0 = v128.load(row);
      const b1 = v128.load(row, 16);
      const s = strip + (<usize>j << 2);
      let av = v128.load32_splat(s);
      c00 = madd(av, b0, c00);
      c01 = madd(av, b1, c01);
      av = v128.load32_splat(s + tpBytes);
      c10 = madd(av, b0, c10);
      c11 = madd(av, b1, c11);
      av = v128.load32_splat(s + 2 * tpBytes);
      c20 = madd(av, b0, c20);
      c21 = madd(av, b1, c21);
      av = v128.load32_splat(s + 3 * tpBytes);
      c30 = madd(av, b0, c30);
      c31 = madd(av, b1, c31);
      row += headLd;
    }
    const off = <usize>e << 2;
    v128.store(o0 + off, flush4(c00));
    v128.store(o0 + off, flush4(c01), 16);
    v128.store(o1 + off, flush4(c10));
    v128.store(o1 + off, flush4(c11), 16);
    v128.store(o2 + off, flush4(c20));
    v128.store(o2 + off, flush4(c21), 16);
    v128.store(o3 + off, flush4(c30));
    v128.store(o3 + off, flush4(c31), 16);
  }
  for (; e < d; e += 4) {
    let c0 = f32x4.splat(0);
    let c1 = f32x4.splat(0);
    let c2 = f32x4.splat(0);
    let c3 = f32x4.splat(0);
    let row = src + (<usize>e << 2);
    for (let j = 0; j < jEnd; j++) {
      const b0 = v128.load(row);
      const s = strip + (<usize>j << 2);
      c0 = madd(v128.load32_splat(s), b0, c0);
      c1 = madd(v128.load32_splat(s + tpBytes), b0, c1);
      c2 = madd(v128.load32_splat(s + 2 * tpBytes), b0, c2);
      c3 = madd(v128.load32_splat(s + 3 * tpBytes), b0, c3);
      row += headLd;
    }
    const off = <usize>e << 2;
    v128.store(o0 + off, flush4(c0));
    v128.store(o1 + off, flush4(c1));
    v128.store(o2 + off, flush4(c2));
    v128.store(o3 + off, flush4(c3));
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

/** Pointer to query row i of `base` (this head), or of row `i0` when i is past the end (a dummy). */
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
  const kt = scratch;
  const strip = kt + (<usize>d * tpBytes);
  const dummy = strip + 4 * tpBytes; // D floats: where rows past the end are stored
  for (;;) {
    const unit = atomic.add<i32>(counter, 1);
    if (unit >= units) return;
    setHead(unit, nHead, t, c, d, q, k, v, o, mask, drop);
    transposeHead(headK, kt);
    for (let i0 = 0; i0 < t; i0 += 4) {
      const jEnd = causal ? min(t, i0 + 4) : t;
      const jEnd8 = (jEnd + 7) & ~7;
      rowsTimesTransposed(rowAt(headQ, i0, i0), rowAt(headQ, i0 + 1, i0), rowAt(headQ, i0 + 2, i0), rowAt(headQ, i0 + 3, i0), kt, jEnd8, scale, strip);
      for (let r = 0; r < 4; r++) {
        const row = strip + <usize>r * tpBytes;
        const i = i0 + r;
        if (i >= t) {
          memory.fill(row, 0, tpBytes); // a zero row: its output goes to the dummy
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
      const o0 = headO + <usize>i0 * headLd;
      stripTimesRows(
        strip,
        headV,
        jEnd,
        o0,
        i0 + 1 < t ? o0 + headLd : dummy,
        i0 + 2 < t ? o0 + 2 * headLd : dummy,
        i0 + 3 < t ? o0 + 3 * headLd : dummy,
      );
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
  const headBytes = <usize>d * tpBytes; // [D][Tp] or [Tp][D]
  const kt = scratch;
  const vt = kt + headBytes;
  const strip = vt + headBytes; // P, then P ∘ M
  const dstrip = strip + 4 * tpBytes; // dP̃, then dS
  const delta = dstrip + 4 * tpBytes;
  const dkAcc = delta + tpBytes;
  const dvAcc = dkAcc + headBytes;
  const dummy = dvAcc + headBytes;
  const rowBytes = <usize>d << 2;
  for (;;) {
    const unit = atomic.add<i32>(counter, 1);
    if (unit >= units) return;
    setHead(unit, nHead, t, c, d, q, k, v, o, mask, drop);
    const base = headQ - q; // this head's byte offset within every [B, T, C] tensor
    const dO = dout + base;
    transposeHead(headK, kt);
    transposeHead(headV, vt);
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
      rowsTimesTransposed(q0, q1, q2, q3, kt, jEnd8, scale, strip);
      rowsTimesTransposed(g0, g1, g2, g3, vt, jEnd8, 1, dstrip);
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
      const dq0 = dq + base + <usize>i0 * headLd;
      stripTimesRows(
        dstrip,
        headK,
        jEnd,
        dq0,
        i0 + 1 < t ? dq0 + headLd : dummy,
        i0 + 2 < t ? dq0 + 2 * headLd : dummy,
        i0 + 3 < t ? dq0 + 3 * headLd : dummy,
      );
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
