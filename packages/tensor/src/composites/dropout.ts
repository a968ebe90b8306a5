import { tensorOnBuffer } from "../core/kernel-buffers.js";
import type { Tensor } from "../core/tensor.js";
import { fromTypedArray } from "../ops/creation.js";
import { mul } from "../ops/elementwise.js";
import type { Key } from "../ops/random.js";
import { dropoutMultiplier, dropoutThreshold } from "../random/index.js";

/**
 * The multiplier tensor (0 or 1/(1−p′)) on x's backend: made there directly when the backend has a
 * `dropoutMultiplier` hook (bit-identical by contract), else generated on the host and uploaded.
 */
const multiplier = (key: Key, x: Tensor, p: number): Tensor => {
  const backend = x.backend;
  if (!backend.dropoutMultiplier) {
    return fromTypedArray(dropoutMultiplier(key, x.size, p), x.shape, "float32", backend);
  }
  dropoutThreshold(p); // validates p with the host path's error
  return tensorOnBuffer(backend, backend.dropoutMultiplier(key, x.shape, p), x.shape, "float32");
};

/**
 * Inverted dropout: zeroes each element with probability p and scales survivors by 1/(1−p), so
 * evaluation (`training = false`) is the identity. The mask comes from `key` alone, as one multiplier
 * tensor (0 or 1/(1−p)), so dropout is a single multiply forward and backward. p is rounded to a
 * multiple of 2⁻¹⁶ (see `randomArrays.dropoutMultiplier`). Backends with a `dropoutMultiplier` hook
 * (the wasm backend) make the mask in their own memory; the numbers are the same on every backend.
 */
export const dropout = (key: Key, x: Tensor, p: number, training = true): Tensor => {
  if (!training || p === 0) return x;
  if (p >= 1) return mul(x, 0);
  return mul(x, multiplier(key, x, p));
};
