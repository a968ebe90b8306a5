import fc from "fast-check";
import { describe, it } from "vitest";
import * as sg from "../index.js";
import { checkOp, inputArb, onBackend, RUNS, testBackends } from "../test-utils/check.js";
import * as R from "../test-utils/reference.js";

/** Operands for a batched matmul with broadcasting batch dims and optional transposes. */
const matmulArb = fc
  .record({
    m: fc.integer({ min: 1, max: 5 }),
    k: fc.integer({ min: 1, max: 5 }),
    n: fc.integer({ min: 1, max: 5 }),
    batch: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
    dropA: fc.integer({ min: 0, max: 2 }),
    dropB: fc.integer({ min: 0, max: 2 }),
    oneA: fc.boolean(),
    transA: fc.boolean(),
    transB: fc.boolean(),
  })
  .chain(({ m, k, n, batch, dropA, dropB, oneA, transA, transB }) => {
    const ba = batch.slice(Math.min(dropA, batch.length)).map((d, i) => (oneA && i === 0 ? 1 : d));
    const bb = batch.slice(Math.min(dropB, batch.length));
    const sa = [...ba, ...(transA ? [k, m] : [m, k])];
    const sb = [...bb, ...(transB ? [n, k] : [k, n])];
    return fc.tuple(inputArb(sa), inputArb(sb), fc.constant({ transA, transB }));
  });

describe.each(testBackends)("matmul on %s", (_name, backend) => {
  it("batched, broadcast and transposed products match float64; VJPs match finite differences", () => {
    onBackend(backend, () =>
      fc.assert(
        fc.property(matmulArb, ([a, b, t]) =>
          checkOp({
            inputs: [a, b],
            impl: (x, y) => sg.matmul(x, y, t),
            ref: (x, y) => R.matmul(x, y, t.transA, t.transB),
            atol: 1e-4,
          }),
        ),
        { numRuns: RUNS * 2 },
      ),
    );
  });

  it("vector operands follow NumPy (matrix·vector, vector·matrix, dot)", () => {
    onBackend(backend, () => {
      const v = (n: number, s = 0) => ({
        shape: [n],
        values: Array.from({ length: n }, (_, i) => Math.sin(i + s)),
      });
      const m = { shape: [3, 4], values: Array.from({ length: 12 }, (_, i) => Math.cos(i)) };
      const asMat = (r: R.Ref, shape: number[]) => ({ data: r.data, shape });
      checkOp({
        inputs: [m, v(4)],
        impl: (a, b) => sg.matmul(a, b),
        ref: (a, b) => asMat(R.matmul(a, asMat(b, [4, 1]), false, false), [3]),
      });
      checkOp({
        inputs: [v(3), m],
        impl: (a, b) => sg.matmul(a, b),
        ref: (a, b) => asMat(R.matmul(asMat(a, [1, 3]), b, false, false), [4]),
      });
      checkOp({
        inputs: [v(5), v(5, 1)],
        impl: (a, b) => sg.matmul(a, b),
        ref: (a, b) => asMat(R.matmul(asMat(a, [1, 5]), asMat(b, [5, 1]), false, false), []),
      });
    });
  });
});
