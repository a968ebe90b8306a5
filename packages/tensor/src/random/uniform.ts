/**
 * Uniform floats, bit for bit like `jax.random.uniform` for float32: the top 23 bits of a random word
 * become the mantissa of a float in [1, 2), minus 1 gives a multiple of 2^-23 in [0, 1), which is then
 * scaled to [low, high).
 */
import { checkCount, randomBits } from "./bits.js";
import type { Key } from "./key.js";

/** Bit pattern of float32 1.0: exponent 127, zero mantissa. */
const ONE_BITS = 0x3f800000;

/** The largest float32 strictly below `x` (for x > 0 or x <= 0 alike). */
const float32Below = (x: number): number => {
  const f = new Float32Array([x]);
  const bits = new Int32Array(f.buffer);
  if (x === 0) return -1.401298464324817e-45;
  bits[0] = x > 0 ? bits[0]! - 1 : bits[0]! + 1;
  return f[0]!;
};

/** Bounds of `uniform`; defaults to [0, 1). */
export interface UniformOptions {
  readonly low?: number;
  readonly high?: number;
}

/**
 * `count` float32 samples uniform in [low, high) (default [0, 1)). Same values as
 * `jax.random.uniform(key, (count,), minval=low, maxval=high)`, except that a sample rounding up to
 * `high` (possible in float32 when the range is wide) is moved just below it so the bound holds.
 *
 * @example
 * uniform(key(51), 4); // ≈ [0.471269, 0.12344253, 0.17550635, 0.5663593]
 * uniform(key(0), 3, { low: -0.1, high: 0.1 });
 */
export const uniform = (k: Key, count: number, options: UniformOptions = {}): Float32Array => {
  const { low = 0, high = 1 } = options;
  checkCount("uniform", count);
  const lo = Math.fround(low);
  const hi = Math.fround(high);
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi)) {
    throw new RangeError(
      `uniform: need finite float32 bounds with low < high, got low=${low}, high=${high}.`,
    );
  }
  // Reuse the word buffer: write float bits in place, then read it back as float32.
  const words = randomBits(k, count);
  for (let i = 0; i < count; i++) words[i] = (words[i]! >>> 9) | ONE_BITS;
  const out = new Float32Array(words.buffer, 0, count);
  if (lo === 0 && hi === 1) {
    for (let i = 0; i < count; i++) out[i] = out[i]! - 1;
    return out;
  }
  const scale = Math.fround(hi - lo);
  const top = float32Below(hi);
  for (let i = 0; i < count; i++) {
    // float32 rounding after the multiply and after the add, as JAX computes it.
    const v = Math.fround(Math.fround((out[i]! - 1) * scale) + lo);
    out[i] = Math.min(Math.max(v, lo), top);
  }
  return out;
};
