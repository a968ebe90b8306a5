import { profileSnapshot, resetProfile, scope, setProfiling, type Tensor, tensor } from "@scratchgrad/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { uniformStream } from "../test-utils/helpers.js";
import {
  axpby64,
  frobenius64,
  fromSvd64,
  type Matrix64,
  matmul64,
  matrix64,
  newtonSchulz64,
  orthonormalColumns64,
  quinticMap,
  spectralNorm64,
  svd64,
  transpose64,
} from "../test-utils/linalg64.js";
import { newtonSchulz } from "./newton-schulz.js";

const toTensor = (m: Matrix64): Tensor => tensor(Float32Array.from(m.data), [m.rows, m.cols]);
const fromTensor = (t: Tensor): Matrix64 => matrix64(t.shape[0]!, t.shape[1]!, t.data());
const maxAbsDiff = (a: Matrix64, b: Matrix64): number =>
  a.data.reduce((m, v, i) => Math.max(m, Math.abs(v - b.data[i]!)), 0);
const randomMatrix64 = (seed: number, rows: number, cols: number): Matrix64 => {
  const next = uniformStream(seed);
  // float32 values, so the float64 reference sees exactly what the tensor holds
  return matrix64(
    rows,
    cols,
    Float32Array.from({ length: rows * cols }, () => 2 * next() - 1),
  );
};

const shapeArb = fc.record({
  rows: fc.integer({ min: 1, max: 20 }),
  cols: fc.integer({ min: 1, max: 20 }),
  seed: fc.integer({ min: 1, max: 1e6 }),
});

describe("the float64 Jacobi SVD test helper", () => {
  it("reconstructs A = U·diag(s)·Vᵀ with orthonormal U, V and descending s", () => {
    fc.assert(
      fc.property(shapeArb, ({ rows, cols, seed }) => {
        const a = randomMatrix64(seed, rows, cols);
        const { u, s, v } = svd64(a);
        const k = Math.min(rows, cols);
        expect(s).toHaveLength(k);
        for (let i = 1; i < k; i++) expect(s[i]!).toBeLessThanOrEqual(s[i - 1]!);
        expect(maxAbsDiff(fromSvd64(u, s, v), a)).toBeLessThan(1e-12);
        const identity = matrix64(
          k,
          k,
          Array.from({ length: k * k }, (_, i) => (i % (k + 1) === 0 ? 1 : 0)),
        );
        expect(maxAbsDiff(matmul64(transpose64(v), v), identity)).toBeLessThan(1e-12);
        if (s[k - 1]! > 1e-9) expect(maxAbsDiff(matmul64(transpose64(u), u), identity)).toBeLessThan(1e-12);
      }),
      { numRuns: 40 },
    );
  });
});

describe("the quintic's band (what 5 Newton–Schulz steps do to a singular value σ/‖G‖_F)", () => {
  // Measured on a grid of 10⁶ points: f = p∘p∘p∘p∘p with p(x) = 3.4445x − 4.7750x³ + 2.0315x⁵.
  // On [0.0052, 1] f stays in [0.6818, 1.1344] (the minimum is the fixed-point oscillation's low
  // point, the maximum its high point); between 0.0015 and 0.0052 the climb from 0 overshoots to
  // 1.2024 (at 0.0041); below 0.0015 f(σ) ≈ 3.4445⁵·σ ≈ 488·σ has not reached 0.68 yet.
  const range = (lo: number, hi: number, n = 200_000) => {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i <= n; i++) {
      const y = quinticMap(lo + ((hi - lo) * i) / n);
      min = Math.min(min, y);
      max = Math.max(max, y);
    }
    return { min, max };
  };
  it("maps [0.0052, 1] into [0.68, 1.135]", () => {
    const { min, max } = range(0.0052, 1);
    expect(min).toBeGreaterThan(0.6818);
    expect(min).toBeLessThan(0.682);
    expect(max).toBeLessThan(1.1345);
    expect(max).toBeGreaterThan(1.134);
  });
  it("maps [0.0015, 0.0052] into [0.68, 1.203] and leaves σ < 0.0015 below 0.68", () => {
    const { min, max } = range(0.0015, 0.0052);
    expect(min).toBeGreaterThan(0.679);
    expect(max).toBeLessThan(1.2024);
    expect(quinticMap(0.0014)).toBeLessThan(0.68);
  });
});

describe("newtonSchulz", () => {
  it("equals the float64 transcription of Keller Jordan's zeropower_via_newtonschulz5, and is U·f(Σ/‖G‖_F)·Vᵀ", () => {
    fc.assert(
      fc.property(shapeArb, ({ rows, cols, seed }) =>
        scope(() => {
          const g = randomMatrix64(seed, rows, cols);
          const got = fromTensor(newtonSchulz(toTensor(g)));
          // float32 against float64: the largest difference over these cases is 1.0e-6 (measured).
          expect(maxAbsDiff(got, newtonSchulz64(g))).toBeLessThan(1e-5);
          // The same matrix from the SVD: each singular value mapped by the quintic, vectors kept.
          const { u, s, v } = svd64(g);
          const norm = frobenius64(g) + 1e-7;
          expect(
            maxAbsDiff(
              got,
              fromSvd64(
                u,
                s.map((x) => quinticMap(x / norm)),
                v,
              ),
            ),
          ).toBeLessThan(1e-5);
          // …so its singular values are f(σᵢ/‖G‖_F) (f is not monotonic: compare sorted).
          const expected = s.map((x) => quinticMap(x / norm)).sort((a, b) => b - a);
          const actual = svd64(got).s;
          for (const [i, x] of actual.entries()) expect(Math.abs(x - expected[i]!)).toBeLessThan(1e-5);
        }),
      ),
      { numRuns: 60 },
    );
  });

  it("puts every singular value in [0.68, 1.135] and stays within 0.32 of the polar factor U·Vᵀ when σ ≥ 0.0052·‖G‖_F", () => {
    // G = U·diag(s)·Vᵀ with s in [0.03, 1]: with at most 20 singular values, σ/‖G‖_F ≥ 0.03/√20 > 0.0052.
    const caseArb = shapeArb.chain(({ rows, cols, seed }) =>
      fc.record({
        rows: fc.constant(rows),
        cols: fc.constant(cols),
        seed: fc.constant(seed),
        s: fc.array(fc.double({ min: 0.03, max: 1, noNaN: true }), {
          minLength: Math.min(rows, cols),
          maxLength: Math.min(rows, cols),
        }),
      }),
    );
    fc.assert(
      fc.property(caseArb, ({ rows, cols, seed, s }) =>
        scope(() => {
          const next = uniformStream(seed);
          const k = Math.min(rows, cols);
          const u = orthonormalColumns64(next, rows, k);
          const v = orthonormalColumns64(next, cols, k);
          const g = fromSvd64(u, s, v);
          const got = fromTensor(newtonSchulz(toTensor(g)));
          for (const x of svd64(got).s) {
            expect(x).toBeGreaterThan(0.68 - 1e-3);
            expect(x).toBeLessThan(1.135 + 1e-3);
          }
          const polar = matmul64(u, transpose64(v));
          expect(spectralNorm64(axpby64(1, got, -1, polar))).toBeLessThan(0.32 + 1e-3);
        }),
      ),
      { numRuns: 60 },
    );
  });

  it("handles wide, tall, vector-shaped and zero matrices", () => {
    scope(() => {
      // A single row has one singular value, ‖row‖ = ‖G‖_F: the output is the row's direction times f(1).
      const row = newtonSchulz(tensor([[3, 4]])).toArray() as number[][];
      expect(row[0]![0]!).toBeCloseTo(0.6 * quinticMap(1), 5);
      expect(row[0]![1]!).toBeCloseTo(0.8 * quinticMap(1), 5);
      const column = newtonSchulz(tensor([[3], [4]])).toArray() as number[][];
      expect(column[1]![0]!).toBeCloseTo(0.8 * quinticMap(1), 5);
      expect(
        Array.from(
          newtonSchulz(
            tensor([
              [0, 0, 0],
              [0, 0, 0],
            ]),
          ).data(),
        ),
      ).toEqual([0, 0, 0, 0, 0, 0]);
    });
  });

  it("does every product as a matmul primitive (3 per step), so the active backend's GEMM runs it", () => {
    for (const shape of [
      [4, 9],
      [9, 4],
    ]) {
      setProfiling(true);
      resetProfile();
      try {
        scope(() => newtonSchulz(toTensor(randomMatrix64(3, shape[0]!, shape[1]!)), { steps: 4 }).data());
        const matmuls = profileSnapshot().find((r) => r.primitive === "matmul");
        expect(matmuls?.calls).toBe(12);
      } finally {
        setProfiling(false);
        resetProfile();
      }
    }
  });

  it("rejects tensors that are not matrices, saying what to do", () => {
    expect(() => newtonSchulz(tensor([1, 2, 3]))).toThrow(/expected a matrix.*reshape the update to 2-D/);
  });
});
