import fc from "fast-check";
import { describe, it } from "vitest";
import * as sg from "../index.js";
import { checkOp, inputArb, onBackend, RUNS, shapeArb, testBackends } from "../test-utils/check.js";
import * as R from "../test-utils/reference.js";

/** A table, an axis, and int32 indices (any shape, repeats allowed) into that axis. */
const gatherArb = shapeArb(1, 3).chain((s) =>
  fc.integer({ min: 0, max: s.length - 1 }).chain((axis) =>
    fc.tuple(
      inputArb(s),
      fc.constant(axis),
      shapeArb(0, 2, 4).chain((is) => {
        const n = is.reduce((a, b) => a * b, 1);
        return fc.tuple(
          fc.constant(is),
          fc.array(fc.integer({ min: 0, max: s[axis]! - 1 }), { minLength: n, maxLength: n }),
        );
      }),
    ),
  ),
);

describe.each(testBackends)("indexing primitives on %s", (_name, backend) => {
  it("gather matches float64; its VJP scatter-adds (repeated indices accumulate)", () => {
    onBackend(backend, () =>
      fc.assert(
        fc.property(gatherArb, ([x, axis, [idsShape, ids]]) =>
          checkOp({
            inputs: [x, { shape: idsShape, values: ids, dtype: "int32" }],
            impl: (t, i) => sg.gather(t, i, axis),
            ref: (r) => R.gather(r, ids, idsShape, axis),
          }),
        ),
        { numRuns: RUNS },
      ),
    );
  });

  it("scatterAdd matches float64; its VJP gathers", () => {
    onBackend(backend, () =>
      fc.assert(
        fc.property(
          gatherArb.chain(([x, axis, [idsShape, ids]]) => {
            const n = x.shape[axis]!;
            const uShape = [...x.shape.slice(0, axis), ...idsShape, ...x.shape.slice(axis + 1)];
            return fc.tuple(inputArb(uShape), fc.constant({ axis, n, idsShape, ids }));
          }),
          ([u, { axis, n, idsShape, ids }]) =>
            checkOp({
              inputs: [u, { shape: idsShape, values: ids, dtype: "int32" }],
              impl: (t, i) => sg.scatterAdd(t, i, axis, n),
              ref: (r) => R.scatterAdd(r, ids, idsShape, axis, n),
            }),
        ),
        { numRuns: RUNS },
      ),
    );
  });
});
