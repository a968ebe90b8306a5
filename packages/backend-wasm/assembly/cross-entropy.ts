// Cross-entropy over rows of logits [rows, vocab] with i32 targets; a negative target (-100 by
// convention) marks a row to ignore.
import { exp1, expClamped4, flush1, hmax, hsum, MIN_NORMAL } from "./simd";

// @ts-ignore: decorator
@inline
function rowMax(xr: usize, cols: i32): f32 {
  const c4 = cols & ~3;
  let vmax = f32x4.splat(-Infinity);
  let j = 0;
  for (; j < c4; j += 4) vmax = f32x4.pmax(vmax, v128.load(xr + (<usize>j << 2)));
  let m = hmax(vmax);
  for (; j < cols; j++) m = max(m, load<f32>(xr + (<usize>j << 2)));
  return m;
}

// @ts-ignore: decorator
@inline
function rowSumExp(xr: usize, cols: i32, m: f32): f32 {
  const c4 = cols & ~3;
  const vm = f32x4.splat(m);
  let vs = f32x4.splat(0);
  let j = 0;
  for (; j < c4; j += 4) vs = f32x4.add(vs, expClamped4(f32x4.sub(v128.load(xr + (<usize>j << 2)), vm)));
  let s = hsum(vs);
  for (; j < cols; j++) s += exp1(load<f32>(xr + (<usize>j << 2)) - m);
  return s;
}

/**
 * Writes sum over non-ignored rows of (logsumexp(x) - x[target]) as f64 at `out` and the number of
 * non-ignored rows as i32 at `out + 8`, and each row's logsumexp as f32 at `lse` (0 for ignored
 * rows), so the backward pass needs one sweep over the logits instead of three.
 */
export function crossEntropy(
  logits: usize,
  targets: usize,
  vocab: i32,
  out: usize,
  lse: usize,
  rowStart: i32,
  rowEnd: i32,
): void {
  let total: f64 = 0;
  let count: i32 = 0;
  for (let r = rowStart; r < rowEnd; r++) {
    const t = load<i32>(targets + (<usize>r << 2));
    if (t < 0) {
      store<f32>(lse + (<usize>r << 2), 0);
      continue;
    }
    const xr = logits + ((<usize>r * <usize>vocab) << 2);
    const m = rowMax(xr, vocab);
    const rowLse = <f64>m + Math.log(<f64>rowSumExp(xr, vocab, m));
    store<f32>(lse + (<usize>r << 2), <f32>rowLse);
    total += rowLse - <f64>load<f32>(xr + (<usize>t << 2));
    count++;
  }
  store<f64>(out, total);
  store<i32>(out, count, 8);
}

/**
 * dlogits = gradScale * (softmax(x) - onehot(target)) with softmax(x) = exp(x - lse) from the forward
 * pass's per-row logsumexp; ignored rows get 0. `dlogits` may alias `logits`.
 */
export function crossEntropyBackward(
  logits: usize,
  targets: usize,
  lse: usize,
  dlogits: usize,
  vocab: i32,
  gradScale: f32,
  rowStart: i32,
  rowEnd: i32,
): void {
  const c4 = vocab & ~3;
  const floor = <f32>Math.log(<f64>MIN_NORMAL / abs<f64>(<f64>gradScale)); // +inf when gradScale is 0
  for (let r = rowStart; r < rowEnd; r++) {
    const t = load<i32>(targets + (<usize>r << 2));
    const xr = logits + ((<usize>r * <usize>vocab) << 2);
    const dr = dlogits + ((<usize>r * <usize>vocab) << 2);
    if (t < 0) {
      memory.fill(dr, 0, <usize>vocab << 2);
      continue;
    }
    // exp(x - lse) * gradScale: the row's softmax, scaled, in one read of x. Where the product would
    // be subnormal (x - lse below ln(2^-126 / |gradScale|)) it is exactly 0: one compare, no flush.
    const rowLse = load<f32>(lse + (<usize>r << 2));
    const vl = f32x4.splat(rowLse);
    const vscale = f32x4.splat(gradScale);
    const vfloor = f32x4.splat(floor);
    let j = 0;
    for (; j < c4; j += 4) {
      const o = <usize>j << 2;
      const arg = f32x4.sub(v128.load(xr + o), vl);
      v128.store(dr + o, v128.andnot(f32x4.mul(expClamped4(arg), vscale), f32x4.lt(arg, vfloor)));
    }
    for (; j < vocab; j++) {
      const o = <usize>j << 2;
      store<f32>(dr + o, flush1(exp1(load<f32>(xr + o) - rowLse) * gradScale));
    }
    const to = dr + (<usize>t << 2);
    store<f32>(to, flush1(load<f32>(to) - gradScale));
  }
}
