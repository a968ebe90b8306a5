import { checkCount, randomBits } from "./bits.js";
import type { Key } from "./key.js";

/**
 * A dropout multiplier: element i is 0 (dropped) or 1/(1 − p′) (kept and rescaled), where p′ is `p`
 * rounded to a multiple of 2⁻¹⁶ (|p′ − p| ≤ 2⁻¹⁷, e.g. 0.1 → 0.100006). Each 32-bit random word
 * decides two elements (its high and low halves): dropout masks are the largest random draws of a
 * training step, and this halves their cost. Inverted dropout stays exactly unbiased for p′.
 *
 * @example const m = dropoutMultiplier(key, 1024, 0.1); // Float32Array of 0 and 1.11111…
 */
export const dropoutMultiplier = (k: Key, count: number, p: number): Float32Array => {
  checkCount("dropoutMultiplier", count);
  if (!(p >= 0 && p < 1)) throw new RangeError(`dropoutMultiplier: p must be in [0, 1), got ${p}.`);
  const threshold = Math.round(p * 65536);
  const scale = Math.fround(1 / (1 - threshold / 65536));
  const words = randomBits(k, Math.ceil(count / 2));
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const w = words[i >>> 1]!;
    const half = i & 1 ? w & 0xffff : w >>> 16;
    out[i] = half < threshold ? 0 : scale;
  }
  return out;
};
