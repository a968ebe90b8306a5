import type { Tensor } from "../core/tensor.js";
import { fromTypedArray } from "../ops/creation.js";
import { mul } from "../ops/elementwise.js";
import type { Key } from "../ops/random.js";
import { dropoutMultiplier } from "../random/index.js";

/**
 * Inverted dropout: zeroes each element with probability p and scales survivors by 1/(1−p), so
 * evaluation (`training = false`) is the identity. The mask comes from `key` alone, as one multiplier
 * tensor (0 or 1/(1−p)), so dropout is a single multiply forward and backward. p is rounded to a
 * multiple of 2⁻¹⁶ (see `randomArrays.dropoutMultiplier`).
 */
export const dropout = (key: Key, x: Tensor, p: number, training = true): Tensor => {
  if (!training || p === 0) return x;
  if (p >= 1) return mul(x, 0);
  return mul(x, fromTypedArray(dropoutMultiplier(key, x.size, p), x.shape, "float32", x.backend));
};
