import { checkCount, randomBits } from "./bits.js";
import type { Key } from "./key.js";

/**
 * The dropout rate p as the mask uses it: `threshold` = round(p·65536), so an element is dropped when
 * its 16-bit random half is below it (probability p′ = threshold/65536, |p′ − p| ≤ 2⁻¹⁷), and kept
 * elements are multiplied by `scale` = 1/(1 − p′) rounded to float32. Backends that make the mask
 * themselves (`Backend.dropoutMultiplier`) take these two numbers from here, so every backend rounds p
 * the same way.
 *
 * @example dropoutThreshold(0.1); // { threshold: 6554, scale: 1.1111186742782593 }
 */
export const dropoutThreshold = (p: number): { readonly threshold: number; readonly scale: number } => {
  if (!(p >= 0 && p < 1)) throw new RangeError(`dropout: p must be in [0, 1), got ${p}.`);
  const threshold = Math.round(p * 65536);
  return { threshold, scale: Math.fround(1 / (1 - threshold / 65536)) };
};

/**
 * A dropout multiplier: element i is 0 (dropped) or 1/(1 − p′) (kept and rescaled), where p′ is `p`
 * rounded to a multiple of 2⁻¹⁶ (|p′ − p| ≤ 2⁻¹⁷, e.g. 0.1 → 0.100006; see `dropoutThreshold`). Each
 * 32-bit random word decides two elements (its high and low halves): dropout masks are the largest
 * random draws of a training step, and this halves their cost. Inverted dropout stays exactly unbiased
 * for p′.
 *
 * @example const m = dropoutMultiplier(key, 1024, 0.1); // Float32Array of 0 and 1.11111…
 */
export const dropoutMultiplier = (k: Key, count: number, p: number): Float32Array => {
  checkCount("dropoutMultiplier", count);
  const { threshold, scale } = dropoutThreshold(p);
  const words = randomBits(k, Math.ceil(count / 2));
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const w = words[i >>> 1]!;
    const half = i & 1 ? w & 0xffff : w >>> 16;
    out[i] = half < threshold ? 0 : scale;
  }
  return out;
};
