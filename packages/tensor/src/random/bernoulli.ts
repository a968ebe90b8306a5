/**
 * Coin flips: `u < p` with u from `uniform`, as `jax.random.bernoulli` computes them.
 */
import { checkCount, randomBits } from "./bits.js";
import type { Key } from "./key.js";

/**
 * `count` samples that are 1 with probability `p` and 0 otherwise (a `Uint8Array`, like a bool
 * tensor). Element i is 1 exactly when `uniform(key, count)[i] < p`, matching
 * `jax.random.bernoulli(key, p, (count,))`.
 *
 * @example
 * const keep = bernoulli(dropoutKey, 4 * 768, 0.9); // dropout mask with rate 0.1
 */
export const bernoulli = (k: Key, count: number, p: number): Uint8Array => {
  checkCount("bernoulli", count);
  if (!(p >= 0 && p <= 1)) {
    throw new RangeError(`bernoulli: p must be a probability in [0, 1], got ${p}.`);
  }
  const threshold = Math.fround(p);
  const words = randomBits(k, count);
  const out = new Uint8Array(count);
  // uniform's value is exactly (word >>> 9) * 2^-23, so compare without materialising floats.
  for (let i = 0; i < count; i++) out[i] = (words[i]! >>> 9) * 2 ** -23 < threshold ? 1 : 0;
  return out;
};
