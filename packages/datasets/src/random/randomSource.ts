/**
 * Where every random choice in this package comes from.
 *
 * A `RandomSource` behaves like a JAX/Flax PRNG key: `randomInts(n, max)` is a *pure* function of the
 * source and its arguments, so the same source always yields the same ints, bit for bit. The project's
 * splittable counter-based key (another package) plugs in by providing this one method.
 */
export interface RandomSource {
  /** `n` integers, each uniform in `[0, max)`; the same call on the same source returns the same ints. */
  randomInts(n: number, max: number): Int32Array;
}

/** A seed (any 32-bit integer; other numbers are truncated) or a ready source. */
export type Randomness = number | RandomSource;

// lowbias32 (Chris Wellons' hash-prospector): a strong 32-bit integer finaliser.
const mix32 = (x: number): number => {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
};

// Counter-based: word i of the stream is hash(seed, i), so there is no state to advance or share.
const word = (seed: number, counter: number): number =>
  mix32(mix32(seed ^ 0x9e3779b9) ^ Math.imul(counter + 1, 0x85ebca6b));

/**
 * A tiny counter-based generator behind the {@link RandomSource} interface.
 *
 * @example
 * const source = seededSource(42);
 * source.randomInts(3, 10); // e.g. Int32Array [7, 1, 4], identical on every call and machine
 */
export const seededSource = (seed: number): RandomSource => {
  const s = seed | 0;
  return {
    randomInts(n: number, max: number): Int32Array {
      if (!Number.isInteger(n) || n < 0)
        throw new RangeError(`randomInts: n must be an integer >= 0, got ${n}`);
      if (!Number.isInteger(max) || max < 1 || max > 2 ** 31) {
        throw new RangeError(`randomInts: max must be an integer in [1, 2^31], got ${max}`);
      }
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        // 53 random bits as a fraction in [0, 1): bias below 2^-22 for any max <= 2^31.
        const hi = word(s, 2 * i) >>> 5;
        const lo = word(s, 2 * i + 1) >>> 6;
        const u = (hi * 67108864 + lo) / 9007199254740992;
        out[i] = Math.floor(u * max);
      }
      return out;
    },
  };
};

/**
 * Turns a seed or a source into a source.
 *
 * @example
 * toRandomSource(0).randomInts(2, 100); // same as seededSource(0).randomInts(2, 100)
 */
export const toRandomSource = (randomness: Randomness): RandomSource =>
  typeof randomness === "number" ? seededSource(randomness) : randomness;
