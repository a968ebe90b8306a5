import { type Randomness, toRandomSource } from "./randomSource.js";

/**
 * A random permutation of `0..n-1`, as JAX's `random.permutation` builds it: draw one random sort key per
 * index and sort by it (ties broken by index, so the result is fully determined by the source).
 *
 * @example
 * permutation(5, 42); // e.g. Int32Array [3, 0, 4, 1, 2]; same seed, same permutation
 */
export const permutation = (n: number, randomness: Randomness): Int32Array => {
  const keys = toRandomSource(randomness).randomInts(n, 2 ** 31);
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => keys[a]! - keys[b]! || a - b);
  return Int32Array.from(order);
};
