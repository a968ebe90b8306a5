// Shared SIMD helpers. `ASC_FEATURE_RELAXED_SIMD` is a compile-time constant, so each build keeps
// exactly one branch: the relaxed build fuses multiply-add (one rounding), the plain build does not.

// @ts-ignore: decorator
@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    return f32x4.relaxed_madd(a, b, c);
  } else {
    return f32x4.add(f32x4.mul(a, b), c);
  }
}

// @ts-ignore: decorator
@inline
export function hsum(v: v128): f32 {
  return (
    f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3))
  );
}

// @ts-ignore: decorator
@inline
export function hmax(v: v128): f32 {
  const m = f32x4.pmax(v, i32x4.shuffle(v, v, 2, 3, 0, 1));
  return max(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1));
}

/**
 * exp(x) on four lanes, Cephes expf: x = n ln2 + r with |r| <= ln2/2, exp(r) by a degree-6
 * polynomial, 2^n by building the float exponent bits. Relative error ~1e-7 over the clamped range.
 * Below -87.3 (where exp(x) nears the smallest normal float, 2^-126) the result is exactly 0, as
 * Math.exp rounds to float32 would give or nearly so: never a subnormal, and never ~1e-38 for a masked
 * (-inf or -1e9) score, which softmax would divide into a subnormal. NaN stays NaN; above 88 clamps.
 *
 * Speed notes (V8 on x64): wasm's f32x4.min/max/nearest/trunc_sat each lower to several
 * instructions to get NaN and rounding edge cases right; pmin/pmax are single minps/maxps, and adding
 * 1.5 * 2^23 rounds to an integer that can be read straight from the low mantissa bits.
 */
// @ts-ignore: decorator
@inline
export function exp4(x: v128): v128 {
  const underflow = f32x4.lt(x, f32x4.splat(-87.3)); // false for NaN, so NaN propagates
  return v128.andnot(expClamped4(x), underflow);
}

/**
 * The Cephes polynomial over x clamped to [-87.3, 88]: exp4 without its underflow to 0 (inputs below
 * -87.3 give ~1.2e-38, a normal float). Enough for sums of exponentials (softmax denominators,
 * logsumexp), where such terms cannot matter, at two fewer instructions per vector.
 */
// @ts-ignore: decorator
@inline
export function expClamped4(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, f32x4.splat(-87.3)), f32x4.splat(88.0));
  const magic = f32x4.splat(12582912.0); // 1.5 * 2^23
  const t = madd(x, f32x4.splat(1.44269504088896341), magic); // round(x log2 e) in the low bits
  const n = f32x4.sub(t, magic);
  // r = x - n*ln2 in two steps (ln2 = hi + lo) to keep the reduction exact.
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = madd(p, r, f32x4.splat(1.3981999507e-3));
  p = madd(p, r, f32x4.splat(8.3334519073e-3));
  p = madd(p, r, f32x4.splat(4.1665795894e-2));
  p = madd(p, r, f32x4.splat(1.6666665459e-1));
  p = madd(p, r, f32x4.splat(5.0000001201e-1));
  const r2 = f32x4.mul(r, r);
  p = f32x4.add(madd(p, r2, r), f32x4.splat(1.0));
  // bits(t) = 0x4B400000 + n; shifting left by 23 drops the 0x4B40 part and leaves (n + 127) << 23.
  const scale = i32x4.shl(i32x4.add(t, i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

// @ts-ignore: decorator
@inline
export function exp1(x: f32): f32 {
  return f32x4.extract_lane(exp4(f32x4.splat(x)), 0);
}

/** tanh(u) = 1 - 2 / (exp(2u) + 1): saturates cleanly to ±1, absolute error ~1e-7. */
// @ts-ignore: decorator
@inline
export function tanh4(u: v128): v128 {
  const e = exp4(f32x4.add(u, u));
  return f32x4.sub(f32x4.splat(1.0), f32x4.div(f32x4.splat(2.0), f32x4.add(e, f32x4.splat(1.0))));
}

/** erf(z), Abramowitz & Stegun 7.1.26 (|error| <= 1.5e-7), sign restored from z. */
// @ts-ignore: decorator
@inline
export function erf4(z: v128): v128 {
  const az = f32x4.abs(z);
  const t = f32x4.div(f32x4.splat(1.0), madd(az, f32x4.splat(0.3275911), f32x4.splat(1.0)));
  let p = f32x4.splat(1.061405429);
  p = madd(p, t, f32x4.splat(-1.453152027));
  p = madd(p, t, f32x4.splat(1.421413741));
  p = madd(p, t, f32x4.splat(-0.284496736));
  p = madd(p, t, f32x4.splat(0.254829592));
  p = f32x4.mul(p, t);
  const e = exp4(f32x4.neg(f32x4.mul(az, az)));
  const y = f32x4.sub(f32x4.splat(1.0), f32x4.mul(p, e));
  // copysign: take the sign bit from z, the magnitude from y.
  return v128.bitselect(z, y, i32x4.splat(0x80000000));
}

/** The smallest normal float32, 2^-126: anything smaller in magnitude (but 0) is subnormal. */
export const MIN_NORMAL: f32 = 1.17549435e-38;

/**
 * Flushes subnormal lanes to zero of the same sign (|x| < 2^-126 → ±0); normal values, ±inf and NaN
 * pass unchanged. WebAssembly has no FTZ/DAZ mode, and Intel cores take a ~100-cycle microcode assist
 * on every subnormal operand (a GEMM with 10% subnormal inputs ran 15x slower there), so every kernel
 * whose output can underflow writes through this. Three cheap ops: abs, compare, and-not.
 */
// @ts-ignore: decorator
@inline
export function flush4(v: v128): v128 {
  const tiny = f32x4.lt(f32x4.abs(v), f32x4.splat(MIN_NORMAL)); // false for NaN
  return v128.andnot(v, v128.and(tiny, i32x4.splat(0x7fffffff))); // keep the sign bit: ±0
}

/** Scalar {@link flush4}, for loop tails. */
// @ts-ignore: decorator
@inline
export function flush1(x: f32): f32 {
  return abs<f32>(x) < MIN_NORMAL ? copysign<f32>(0, x) : x;
}
