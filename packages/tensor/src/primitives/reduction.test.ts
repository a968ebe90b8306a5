import fc from "fast-check";
import { describe, it } from "vitest";
import * as sg from "../index.js";
import { checkOp, inputArb, onBackend, RUNS, shapeArb, testBackends } from "../test-utils/check.js";
import * as R from "../test-utils/reference.js";

/** A shape with a random subset of its axes to reduce (possibly none, possibly all). */
const reductionArb = shapeArb(1, 4).chain((shape) =>
  fc.tuple(fc.subarray(shape.map((_, i) => i)), fc.boolean(), inputArb(shape)),
);

describe.each(testBackends)("reductions on %s", (_name, backend) => {
  it("sum over any axes (keepdims or not) matches float64, its VJP broadcasts back", () => {
    onBackend(backend, () =>
      fc.assert(
        fc.property(reductionArb, ([axes, keepdims, x]) =>
          checkOp({
            inputs: [x],
            impl: (t) => sg.sum(t, axes, keepdims),
            ref: (r) => R.reduce(r, axes, keepdims, 0, (a, v) => a + v),
          }),
        ),
        { numRuns: RUNS },
      ),
    );
  });

  it("max over any axes matches float64, its VJP picks the argmax", () => {
    onBackend(backend, () =>
      fc.assert(
        fc.property(reductionArb, ([axes, keepdims, x]) => {
          // distinct values: the max is unique, so finite differences are valid
          const distinct = { ...x, values: x.values.map((v, i) => v + i * 1e-2) };
          checkOp({
            inputs: [distinct],
            impl: (t) => sg.max(t, axes, keepdims),
            ref: (r) => R.reduce(r, axes, keepdims, Number.NEGATIVE_INFINITY, Math.max),
          });
        }),
        { numRuns: RUNS },
      ),
    );
  });
});
