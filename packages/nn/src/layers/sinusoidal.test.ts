import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { sinusoidalPositions } from "./sinusoidal.js";

const rows = (n: number, d: number, rms?: number) => {
  const t = sinusoidalPositions(n, d, rms);
  const data = t.data() as Float32Array;
  return { t, row: (p: number) => Array.from(data.subarray(p * d, (p + 1) * d)), data };
};
const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe("sinusoidalPositions", () => {
  test("Vaswani's table: sin at even columns, cos at odd, scaled to the asked root mean square", () => {
    const { t, row, data } = rows(128, 256, 0.02);
    expect(t.shape).toEqual([128, 256]);
    expect(t.dtype).toBe("float32");
    // position 0: sin 0 = 0, cos 0 = 1 (times the scale 0.02·√2)
    expect(row(0).slice(0, 4)).toEqual([
      0,
      Math.fround(0.02 * Math.SQRT2),
      0,
      Math.fround(0.02 * Math.SQRT2),
    ]);
    expect(row(5)[0]).toBeCloseTo(0.02 * Math.SQRT2 * Math.sin(5), 7);
    expect(row(5)[3]).toBeCloseTo(0.02 * Math.SQRT2 * Math.cos(5 / 10000 ** (2 / 256)), 7);
    const meanSquare = data.reduce((s, x) => s + x * x, 0) / data.length;
    expect(Math.sqrt(meanSquare)).toBeCloseTo(0.02, 6);
  });

  test("the similarity of two positions depends only on their distance (what attention can use)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 32 }).map((h) => 2 * h),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 20 }),
        (d, p, q, k) => {
          const { row } = rows(64, d);
          expect(dot(row(p), row(p + k))).toBeCloseTo(dot(row(q), row(q + k)), 4);
        },
      ),
      { numRuns: 50 },
    );
  });

  test("an odd width keeps sin in its last column; bad sizes are a RangeError naming both", () => {
    const { row } = rows(4, 3, 1);
    expect(row(2)[2]).toBeCloseTo(Math.SQRT2 * Math.sin(2 / 10000 ** (2 / 3)), 6);
    expect(() => sinusoidalPositions(0, 8)).toThrow(
      /numPositions and dim must be positive integers, got 0 and 8/,
    );
    expect(() => sinusoidalPositions(4, 2.5)).toThrow(RangeError);
  });
});
