import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as sg from "../index.js";
import { onBackend, RUNS, shapeArb, testBackends, valuesArb } from "../test-utils/check.js";

// torch.optim.AdamW's step for one tensor, in float64: the update p_next − p and the next moments.
const reference = (
  [p, g, m, v]: readonly number[][],
  h: sg.AdamWUpdateParams,
): Record<"update" | "mu" | "nu" | "updateScale" | "muScale" | "nuScale", number[]> => {
  const bc1 = 1 - h.beta1 ** h.step;
  const bc2 = 1 - h.beta2 ** h.step;
  const out = { update: [], mu: [], nu: [], updateScale: [], muScale: [], nuScale: [] } as Record<
    "update" | "mu" | "nu" | "updateScale" | "muScale" | "nuScale",
    number[]
  >;
  p!.forEach((pi, i) => {
    const gi = g![i]! * h.gradScale;
    const mi = h.beta1 * m![i]! + (1 - h.beta1) * gi;
    const vi = h.beta2 * v![i]! + (1 - h.beta2) * gi * gi;
    const denom = Math.sqrt(vi) / Math.sqrt(bc2) + h.eps;
    out.update.push(-h.lr * (mi / bc1 / denom + h.weightDecay * pi));
    out.mu.push(mi);
    out.nu.push(vi);
    // The size of the terms summed, for tolerances that allow float32 cancellation in m and
    // between the decay and Adam terms.
    const mTerms = Math.abs(h.beta1 * m![i]!) + Math.abs((1 - h.beta1) * gi);
    out.updateScale.push(h.lr * (mTerms / bc1 / denom + Math.abs(h.weightDecay * pi)));
    out.muScale.push(mTerms);
    out.nuScale.push(vi);
  });
  return out;
};

const hyperparametersArb: fc.Arbitrary<sg.AdamWUpdateParams> = fc.record({
  lr: fc.double({ min: 1e-5, max: 0.1, noNaN: true }),
  beta1: fc.constantFrom(0, 0.5, 0.9, 0.95),
  beta2: fc.constantFrom(0.9, 0.95, 0.999, 0.9999),
  eps: fc.constantFrom(1e-8, 1e-6),
  weightDecay: fc.constantFrom(0, 0.01, 0.1),
  step: fc.integer({ min: 1, max: 5000 }),
  gradScale: fc.constantFrom(1, 0.25),
});

const caseArb = shapeArb(0, 3, 6).chain((shape) =>
  fc.tuple(
    fc.constant(shape),
    fc.tuple(valuesArb(shape), valuesArb(shape), valuesArb(shape, -1, 1), valuesArb(shape, 0, 1)),
    hyperparametersArb,
  ),
);

describe.each(testBackends)("adamwUpdate on %s", (_name, backend) => {
  it("matches torch.optim.AdamW's step (float64), leaves its inputs unchanged, frees its temporaries", () =>
    onBackend(backend, () =>
      fc.assert(
        fc.property(caseArb, ([shape, values, h]) => {
          const [p, g, m, v] = values.map((x) => sg.tensor(Float32Array.from(x), shape));
          // As stored (a backend may flush subnormal inputs to 0 on upload, as the wasm one does).
          const stored = [p, g, m, v].map((t) => Array.from(t!.data()));
          const before = backend.liveBuffers();
          const out = sg.adamwUpdate(p!, g!, m!, v!, h);
          expect(backend.liveBuffers() - before).toBe(3);
          const ref = reference(values, h);
          const close = (got: sg.Tensor, want: number[], scale: number[], rtol: number) => {
            expect(got.shape).toEqual(shape);
            Array.from(got.data()).forEach((x, i) => {
              expect(Math.abs(x - want[i]!), `element ${i}`).toBeLessThanOrEqual(rtol * scale[i]! + 1e-30);
            });
          };
          close(out.update, ref.update, ref.updateScale, 1e-5);
          close(out.mu, ref.mu, ref.muScale, 1e-6);
          close(out.nu, ref.nu, ref.nuScale, 1e-6);
          stored.forEach((x, k) => {
            expect(Array.from([p, g, m, v][k]!.data())).toEqual(x);
          });
          sg.dispose([p, g, m, v, out]);
        }),
        { numRuns: RUNS },
      ),
    ));

  it("is the reference's numbers, and differentiable through the reference under vjp", () =>
    onBackend(backend, () =>
      sg.scope(() => {
        const h = { lr: 0.01, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1, step: 3, gradScale: 1 };
        const [p, g, m, v] = [
          [0.5, -1, 2],
          [0.1, 0.2, -0.3],
          [0.01, 0, -0.02],
          [0.001, 0.002, 0.003],
        ].map((x) => sg.tensor(x));
        const fast = sg.adamwUpdate(p!, g!, m!, v!, h);
        const slow = sg.adamwUpdateReference(p!, g!, m!, v!, h);
        for (const k of ["update", "mu", "nu"] as const) {
          const want = slow[k].data();
          Array.from(fast[k].data()).forEach((x, i) => {
            expect(x).toBeCloseTo(want[i]!, 7);
          });
        }
        // d update / d p = −lr·λ elementwise (the Adam term does not depend on p)
        const dp = sg.grad((q: sg.Tensor) => sg.sum(sg.adamwUpdate(q, g!, m!, v!, h).update))(p!);
        for (const x of dp.data()) expect(x).toBeCloseTo(-0.01 * 0.1, 7);
      }),
    ));

  it("says what is wrong with its inputs", () =>
    onBackend(backend, () =>
      sg.scope(() => {
        const h = { lr: 0.01, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0, step: 1, gradScale: 1 };
        const x = sg.zeros([2, 3]);
        expect(() => sg.adamwUpdate(x, sg.zeros([3]), x, x, h)).toThrow(/grad has shape \[3\].*\[2, 3\]/);
        expect(() => sg.adamwUpdate(x, x, x, x, { ...h, step: 0 })).toThrow(/step must be an integer >= 1/);
      }),
    ));
});
