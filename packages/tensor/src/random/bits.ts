/**
 * Raw random words: the stream every distribution is built on.
 */
import type { Key } from "./key.js";
import { fillStreamWords } from "./threefry.js";

/** Validates an element count for a sampling function and returns it. */
export const checkCount = (op: string, count: number): number => {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`${op}: count must be a non-negative integer, got ${count}.`);
  }
  return count;
};

/**
 * `count` uniformly random uint32 words, like `jax.random.bits(key, (count,))`: word i is the xor of
 * the two halves of Threefry-2x32(key, counter = i). Word i depends only on (key, i), so a longer draw
 * extends a shorter one: `randomBits(k, 10)` starts with `randomBits(k, 5)`.
 *
 * @example
 * randomBits(key(0), 1); // Uint32Array [4070199207]
 */
export const randomBits = (k: Key, count: number): Uint32Array => {
  const out = new Uint32Array(checkCount("randomBits", count));
  fillStreamWords(k[0], k[1], 0, out);
  return out;
};
