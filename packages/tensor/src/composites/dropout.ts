import type { Tensor } from "../core/tensor.js";
import { mul, where } from "../ops/elementwise.js";
import { bernoulli, type Key } from "../ops/random.js";

/**
 * Inverted dropout: zeroes each element with probability p and scales survivors by 1/(1−p), so
 * evaluation (`training = false`) is the identity. The mask comes from `key` alone.
 */
export const dropout = (key: Key, x: Tensor, p: number, training = true): Tensor => {
  if (!training || p === 0) return x;
  if (p >= 1) return mul(x, 0);
  return mul(where(bernoulli(key, x.shape, 1 - p), x, 0), 1 / (1 - p));
};
