import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bernoulli } from "./bernoulli.js";
import { key } from "./key.js";
import { permutation } from "./permutation.js";
import { randint } from "./randint.js";
import { uniform } from "./uniform.js";

/** Pearson chi-square statistic of observed counts against equal expected counts. */
const chiSquareUniform = (counts: ArrayLike<number>): number => {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  const expected = total / counts.length;
  let chi = 0;
  for (let i = 0; i < counts.length; i++) chi += (counts[i]! - expected) ** 2 / expected;
  return chi;
};

describe("bernoulli", () => {
  it("is exactly uniform(key) < p", () => {
    const u = uniform(key(4), 1000);
    const b = bernoulli(key(4), 1000, 0.3);
    for (let i = 0; i < 1000; i++) expect(b[i]).toBe(u[i]! < 0.3 ? 1 : 0);
  });

  it("has success rate p", () => {
    for (const p of [0, 0.1, 0.5, 0.9, 1]) {
      const b = bernoulli(key(8), 50_000, p);
      const rate = b.reduce((s, v) => s + v, 0) / b.length;
      expect(Math.abs(rate - p)).toBeLessThan(0.012); // > 5 sd
    }
  });

  it("rejects p outside [0, 1]", () => {
    expect(() => bernoulli(key(0), 1, 1.1)).toThrow(/probability/);
    expect(() => bernoulli(key(0), 1, Number.NaN)).toThrow(/probability/);
  });
});

describe("randint", () => {
  it("stays in [low, high)", () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 2 ** 32 }),
        (seed, low, span) => {
          const high = Math.min(low + span, 2 ** 31);
          for (const v of randint(key(seed), 50, low, high)) {
            expect(v).toBeGreaterThanOrEqual(low);
            expect(v).toBeLessThan(high);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("is uniform (chi-square over 10 bins)", () => {
    const counts = new Array(10).fill(0);
    for (const v of randint(key(11), 100_000, -3, 7)) counts[v + 3]++;
    // 9 degrees of freedom: P(chi2 > 33.7) = 1e-4.
    expect(chiSquareUniform(counts)).toBeLessThan(33.7);
  });

  it("is unbiased where plain modulo is not (span 3 * 2^30)", () => {
    // word mod span would give [0, 2^30) twice as often as the rest; rejection must fix that.
    const span = 3 * 2 ** 30;
    const counts = [0, 0, 0];
    const low = -(2 ** 31);
    for (const v of randint(key(12), 60_000, low, low + span)) counts[Math.floor((v - low) / 2 ** 30)]++;
    expect(chiSquareUniform(counts)).toBeLessThan(18.4); // 2 dof, p = 1e-4
  });

  it("covers the full int32 range", () => {
    const v = randint(key(0), 1000, -(2 ** 31), 2 ** 31);
    expect(v.some((x) => x < 0) && v.some((x) => x > 0)).toBe(true);
  });

  it("rejects empty or fractional ranges", () => {
    expect(() => randint(key(0), 1, 5, 5)).toThrow(/low < high/);
    expect(() => randint(key(0), 1, 0, 2.5)).toThrow(/integers/);
  });
});

describe("permutation", () => {
  it("is a permutation of 0..n-1, determined by the key", () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat({ max: 300 }), (seed, n) => {
        const p = permutation(key(seed), n);
        expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(permutation(key(seed), n)).toEqual(p);
      }),
      { numRuns: 100 },
    );
  });

  it("draws each of the 24 orders of 4 items about equally often", () => {
    const counts = new Map<string, number>();
    for (let s = 0; s < 24_000; s++) {
      const order = permutation(key(s), 4).join("");
      counts.set(order, (counts.get(order) ?? 0) + 1);
    }
    expect(counts.size).toBe(24);
    expect(chiSquareUniform([...counts.values()])).toBeLessThan(59.7); // 23 dof, p = 1e-4
  });
});
