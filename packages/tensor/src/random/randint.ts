/**
 * Uniform integers in [low, high) without modulo bias.
 */
import { checkCount, randomBits } from "./bits.js";
import { acceptLimit, boundedIndex } from "./bounded.js";
import type { Key } from "./key.js";

/**
 * `count` integers uniform in [low, high) (high exclusive), exactly unbiased by rejection sampling
 * (see `bounded.ts`). Bounds must be int32 values (high may be 2^31). Not the same stream as
 * `jax.random.randint`, which trades exactness for a fixed number of words.
 *
 * @example
 * randint(key(0), 8, 0, 50257); // random GPT-2 token ids
 */
export const randint = (k: Key, count: number, low: number, high: number): Int32Array => {
  checkCount("randint", count);
  if (
    !Number.isInteger(low) ||
    !Number.isInteger(high) ||
    low < -0x80000000 ||
    high > 0x80000000 ||
    !(low < high)
  ) {
    throw new RangeError(
      `randint: need integers -2^31 <= low < high <= 2^31 (high exclusive), got low=${low}, high=${high}.`,
    );
  }
  const span = high - low;
  const limit = acceptLimit(span);
  const words = randomBits(k, count);
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const w = words[i]!;
    out[i] = low + (w < limit ? w % span : boundedIndex(k, i, w, span, limit));
  }
  return out;
};
