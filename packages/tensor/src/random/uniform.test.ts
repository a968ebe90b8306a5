import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { key } from "./key.js";
import { uniform } from "./uniform.js";

/** Sample mean and (population) variance, in float64. */
const meanVariance = (xs: ArrayLike<number>): { mean: number; variance: number } => {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[i]!;
  const mean = sum / xs.length;
  let sq = 0;
  for (let i = 0; i < xs.length; i++) sq += (xs[i]! - mean) ** 2;
  return { mean, variance: sq / xs.length };
};

describe("uniform", () => {
  it("matches jax.random.uniform(jax.random.key(51), (4,))", () => {
    const x = uniform(key(51), 4);
    for (const [i, v] of [0.471269, 0.12344253, 0.17550635, 0.5663593].entries())
      expect(x[i]).toBeCloseTo(v, 6);
  });

  it("stays in [low, high) for any bounds", () => {
    const arbBound = fc.float({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(fc.nat(), arbBound, arbBound, (seed, a, b) => {
        const low = Math.fround(Math.min(a, b));
        const high = Math.fround(Math.max(a, b));
        fc.pre(low < high);
        for (const v of uniform(key(seed), 64, { low, high })) {
          expect(v).toBeGreaterThanOrEqual(low);
          expect(v).toBeLessThan(high);
        }
      }),
      { numRuns: 200 },
    );
    // A range where float32 rounding would reach `high` without the clamp.
    for (const v of uniform(key(1), 10_000, { low: 1e7, high: 1e7 + 1 })) expect(v).toBeLessThan(1e7 + 1);
  });

  it("has the mean and variance of U(low, high)", () => {
    const { mean, variance } = meanVariance(uniform(key(3), 100_000, { low: -2, high: 4 }));
    // U(-2, 4): mean 1, variance 36 / 12 = 3; sd of the sample mean = sqrt(3 / 1e5) ≈ 0.0055.
    expect(mean).toBeCloseTo(1, 1);
    expect(Math.abs(mean - 1)).toBeLessThan(0.03);
    expect(Math.abs(variance - 3)).toBeLessThan(0.05);
  });

  it("rejects empty or non-finite ranges", () => {
    expect(() => uniform(key(0), 1, { low: 1, high: 1 })).toThrow(/low < high/);
    expect(() => uniform(key(0), 1, { high: Number.POSITIVE_INFINITY })).toThrow(/finite/);
  });
});
