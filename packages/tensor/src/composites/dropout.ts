import type { Backend } from "../backends/backend.js";
import { runKernel } from "../core/run-kernel.js";
import { type Shape, sizeOf } from "../core/shape.js";
import type { Tensor } from "../core/tensor.js";
import { fromTypedArray } from "../ops/creation.js";
import { mul } from "../ops/elementwise.js";
import type { Key } from "../ops/random.js";
import { dropoutMultiplier, dropoutThreshold } from "../random/index.js";

/**
 * The multiplier tensor (0 or 1/(1−p′)) that `dropout(key, x, p)` applies to an x of `shape`, on
 * `backend`: made there directly when the backend has a `dropoutMultiplier` hook (bit-identical by
 * contract), else generated on the host and uploaded. Fused ops that apply dropout inside (attention)
 * take it as an input, so they drop exactly what `dropout` would.
 * @example const m = dropoutMask(key, probs.shape, 0.1, probs.backend); // mul(probs, m) equals dropout(key, probs, 0.1)
 */
export const dropoutMask = (key: Key, shape: Shape, p: number, backend: Backend): Tensor => {
  if (!backend.dropoutMultiplier) {
    return fromTypedArray(dropoutMultiplier(key, sizeOf(shape), p), shape, "float32", backend);
  }
  dropoutThreshold(p); // validates p with the host path's error
  return runKernel("dropoutMask", backend, { shape, dtype: "float32" }, () =>
    backend.dropoutMultiplier!(key, shape, p),
  );
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
  return mul(x, dropoutMask(key, x.shape, p, x.backend));
};
