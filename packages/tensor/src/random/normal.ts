/**
 * Gaussian samples by inverse transform, as `jax.random.normal` does: u uniform in (-1, 1), then
 * z = sqrt(2) * erfinv(u) is standard normal because P(z < t) = (1 + erf(t / sqrt 2)) / 2.
 * Chosen over Box–Muller because each sample uses exactly one word (element i depends only on (key, i))
 * and the values agree with JAX to float32 rounding.
 */
import { checkCount } from "./bits.js";
import { erfinv } from "./erfinv.js";
import type { Key } from "./key.js";
import { uniform } from "./uniform.js";

/** The float32 just above -1, so erfinv never sees -1 and no sample is infinite. */
const ABOVE_MINUS_ONE = Math.fround(-1 + 2 ** -24);

/** Mean and standard deviation of `normal`; defaults to the standard normal. */
export interface NormalOptions {
  readonly mean?: number;
  readonly std?: number;
}

/**
 * `count` float32 samples from N(mean, std²) (default N(0, 1)). Agrees with
 * `mean + std * jax.random.normal(key, (count,))` to float32 rounding. 10M samples take ~0.5 s on a laptop core.
 *
 * @example
 * const w = normal(key(0), 768 * 768, { std: 0.02 }); // GPT-2 weight init
 */
export const normal = (k: Key, count: number, options: NormalOptions = {}): Float32Array => {
  const { mean = 0, std = 1 } = options;
  checkCount("normal", count);
  if (!Number.isFinite(mean) || !Number.isFinite(std) || std < 0) {
    throw new RangeError(`normal: need a finite mean and a finite std >= 0, got mean=${mean}, std=${std}.`);
  }
  const out = uniform(k, count, { low: ABOVE_MINUS_ONE, high: 1 });
  const scale = Math.SQRT2 * std;
  for (let i = 0; i < count; i++) out[i] = mean + scale * erfinv(out[i]!);
  return out;
};
