import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { erfinv } from "./erfinv.js";
import { key } from "./key.js";
import { normal } from "./normal.js";

/** Sample mean and (population) variance, in float64. */
const meanVariance = (xs: ArrayLike<number>): { mean: number; variance: number } => {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[i]!;
  const mean = sum / xs.length;
  let sq = 0;
  for (let i = 0; i < xs.length; i++) sq += (xs[i]! - mean) ** 2;
  return { mean, variance: sq / xs.length };
};

describe("erfinv", () => {
  // Reference values computed in high precision (scipy.special.erfinv).
  it.each([
    [0, 0],
    [0.5, 0.4769362762044699],
    [-0.3, -0.2724627147267544],
    [0.9, 1.1630871536766743],
    [0.999, 2.326753765513525],
    [0.9999999, 3.766562581570838],
  ])("erfinv(%f) ≈ %f", (x, y) => {
    expect(Math.abs(erfinv(x) - y)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(y)));
  });

  it("is odd and increasing, infinite at ±1 and NaN outside [-1, 1]", () => {
    fc.assert(
      fc.property(fc.double({ min: -0.999999, max: 0.999999, noNaN: true }), (x) => {
        expect(erfinv(-x)).toBe(-erfinv(x));
        expect(erfinv(Math.min(x + 1e-4, 0.9999999))).toBeGreaterThan(erfinv(x));
      }),
    );
    expect(erfinv(1)).toBe(Number.POSITIVE_INFINITY);
    expect(erfinv(-1)).toBe(Number.NEGATIVE_INFINITY);
    expect(erfinv(1.5)).toBeNaN();
  });
});

describe("normal", () => {
  it("has mean 0, variance 1 and the 1/2/3-sigma mass of N(0, 1)", () => {
    const n = 200_000;
    const z = normal(key(123), n);
    const { mean, variance } = meanVariance(z);
    expect(Math.abs(mean)).toBeLessThan(0.012); // 5 sd of the sample mean
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
    const within = (s: number) => z.filter((v) => Math.abs(v) <= s).length / n;
    expect(within(1)).toBeCloseTo(0.6827, 2);
    expect(within(2)).toBeCloseTo(0.9545, 2);
    expect(within(3)).toBeCloseTo(0.9973, 3);
    expect(z.every(Number.isFinite)).toBe(true);
  });

  it("applies mean and std", () => {
    const { mean, variance } = meanVariance(normal(key(9), 100_000, { mean: 5, std: 0.02 }));
    expect(Math.abs(mean - 5)).toBeLessThan(0.001);
    expect(Math.abs(Math.sqrt(variance) - 0.02)).toBeLessThan(0.0005);
  });

  it("is deterministic per key and differs across keys", () => {
    expect(normal(key(1), 1000)).toEqual(normal(key(1), 1000));
    expect(normal(key(1), 1000)).not.toEqual(normal(key(2), 1000));
  });

  it("draws 2M samples quickly (10M initialise GPT-2)", () => {
    const start = performance.now();
    normal(key(0), 2_000_000);
    expect(performance.now() - start).toBeLessThan(1500);
  });

  it("rejects a negative std", () => {
    expect(() => normal(key(0), 1, { std: -1 })).toThrow(/std >= 0/);
  });
});
