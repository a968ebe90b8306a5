import { type Key, key, randint } from "@scratchgrad/tensor/random";

/**
 * Where every random choice in this package comes from.
 *
 * A `RandomSource` behaves like a JAX/Flax PRNG key: `randomInts(n, max)` is a *pure* function of the
 * source and its arguments, so the same source always yields the same ints, bit for bit. Seeds and
 * keys both draw from the project's one PRNG, Threefry-2x32 keys (`keySource`, `seededSource`); any
 * other source plugs in by providing this one method.
 */
export interface RandomSource {
  /** `n` integers, each uniform in `[0, max)`; the same call on the same source returns the same ints. */
  randomInts(n: number, max: number): Int32Array;
}

/** A seed (any 32-bit integer; other numbers are truncated) or a ready source. */
export type Randomness = number | RandomSource;

/**
 * A source drawing from a Threefry key (the project's one PRNG, `@scratchgrad/tensor/random`, which
 * loads no kernels): `randomInts(n, max)` is `randint(key, n, 0, max)`, exactly unbiased.
 *
 * @example
 * const source = keySource(foldIn(key(0), epoch)); // a new order each epoch
 * source.randomInts(3, 10); // identical on every call and machine
 */
export const keySource = (k: Key): RandomSource => ({
  randomInts(n: number, max: number): Int32Array {
    if (!Number.isInteger(n) || n < 0)
      throw new RangeError(`randomInts: n must be an integer >= 0, got ${n}`);
    if (!Number.isInteger(max) || max < 1 || max > 2 ** 31) {
      throw new RangeError(`randomInts: max must be an integer in [1, 2^31], got ${max}`);
    }
    return randint(k, n, 0, max);
  },
});

/**
 * The source of an integer seed: {@link keySource} of `key(seed)` (other numbers are truncated to 32
 * bits first, as before).
 *
 * @example
 * const source = seededSource(42);
 * source.randomInts(3, 10); // identical on every call and machine
 */
export const seededSource = (seed: number): RandomSource => keySource(key(seed | 0));

/**
 * Turns a seed or a source into a source.
 *
 * @example
 * toRandomSource(0).randomInts(2, 100); // same as seededSource(0).randomInts(2, 100)
 */
export const toRandomSource = (randomness: Randomness): RandomSource =>
  typeof randomness === "number" ? seededSource(randomness) : randomness;
