/**
 * Random permutations by Fisher–Yates, driven by a key.
 */
import { checkCount, randomBits } from "./bits.js";
import { acceptLimit, boundedIndex } from "./bounded.js";
import type { Key } from "./key.js";

/**
 * A uniformly random permutation of 0..n-1. Fisher–Yates: for i from n-1 down to 1, swap element i
 * with an unbiased j in [0, i], where j comes from word i of the key's stream.
 *
 * @example
 * const order = permutation(foldIn(dataKey, epoch), numBatches); // shuffle batches each epoch
 */
export const permutation = (k: Key, n: number): Int32Array => {
  checkCount("permutation", n);
  if (n > 0x7fffffff) throw new RangeError(`permutation: n must be below 2^31, got ${n}.`);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  const words = randomBits(k, n);
  for (let i = n - 1; i > 0; i--) {
    const span = i + 1;
    const limit = acceptLimit(span);
    const w = words[i]!;
    const j = w < limit ? w % span : boundedIndex(k, i, w, span, limit);
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
};
