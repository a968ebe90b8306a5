import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as sg from "../index.js";
import { checkOp, inputArb, onBackend, RUNS, shapeArb, testBackends } from "../test-utils/check.js";
import * as R from "../test-utils/reference.js";

describe.each(testBackends)("movement primitives on %s", (_name, backend) => {
  it("reshape keeps row-major order and shares the buffer", () => {
    onBackend(backend, () =>
      fc.assert(
        fc.property(
          shapeArb(1, 4).chain((s) => inputArb(s)),
          (x) => {
            const n = x.values.length;
            checkOp({
              inputs: [x],
              impl: (t) => sg.mul(sg.reshape(t, [n]), 2),
              ref: (r) => ({ data: r.data.map((v) => 2 * v), shape: [n] }),
            });
          },
        ),
        { numRuns: RUNS },
      ),
    );
  });

  it("permute matches float64; its VJP permutes back", () => {
    onBackend(backend, () =>
      fc.assert(
        fc.property(
          shapeArb(1, 4).chain((s) =>
            fc.tuple(
              inputArb(s),
              fc.shuffledSubarray(
                s.map((_, i) => i),
                { minLength: s.length, maxLength: s.length },
              ),
            ),
          ),
          ([x, axes]) =>
            checkOp({ inputs: [x], impl: (t) => sg.permute(t, axes), ref: (r) => R.permute(r, axes) }),
        ),
        { numRuns: RUNS },
      ),
    );
  });

  it("broadcastTo matches float64; its VJP sums back", () => {
    onBackend(backend, () =>
      fc.assert(
        fc.property(
          shapeArb(0, 3)
            .chain((target) =>
              fc.tuple(
                fc.constant(target),
                fc.integer({ min: 0, max: target.length }),
                fc.array(fc.boolean(), { minLength: target.length, maxLength: target.length }),
              ),
            )
            .chain(([target, drop, ones]) =>
              fc.tuple(
                fc.constant(target),
                inputArb(target.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d))),
              ),
            ),
          ([target, x]) =>
            checkOp({
              inputs: [x],
              impl: (t) => sg.broadcastTo(t, target),
              ref: (r) => R.broadcastTo(r, target),
            }),
        ),
        { numRuns: RUNS },
      ),
    );
  });

  const boxArb = shapeArb(1, 3).chain((s) =>
    fc.tuple(
      inputArb(s),
      fc.tuple(
        ...s.map((d) =>
          fc
            .tuple(fc.integer({ min: 0, max: d }), fc.integer({ min: 0, max: d }))
            .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const),
        ),
      ),
    ),
  );

  it("slice matches float64; its VJP pads with zeros", () => {
    onBackend(backend, () =>
      fc.assert(
        fc.property(boxArb, ([x, box]) => {
          const starts = box.map((b) => b[0]);
          const ends = box.map((b) => b[1]);
          checkOp({
            inputs: [x],
            impl: (t) => sg.slice(t, starts, ends),
            ref: (r) => R.slice(r, starts, ends),
          });
        }),
        { numRuns: RUNS },
      ),
    );
  });

  it("pad matches float64; its VJP slices", () => {
    onBackend(backend, () =>
      fc.assert(
        fc.property(
          shapeArb(1, 3).chain((s) =>
            fc.tuple(
              inputArb(s),
              fc.array(fc.integer({ min: 0, max: 2 }), { minLength: s.length, maxLength: s.length }),
              fc.array(fc.integer({ min: 0, max: 2 }), { minLength: s.length, maxLength: s.length }),
            ),
          ),
          ([x, before, after]) =>
            checkOp({
              inputs: [x],
              impl: (t) => sg.pad(t, before, after),
              ref: (r) => R.pad(r, before, after),
            }),
        ),
        { numRuns: RUNS },
      ),
    );
  });

  it("concat matches float64; its VJP splits", () => {
    onBackend(backend, () =>
      fc.assert(
        fc.property(
          shapeArb(1, 3).chain((s) =>
            fc.integer({ min: 0, max: s.length - 1 }).chain((axis) =>
              fc.tuple(
                fc.constant(axis),
                fc.array(
                  fc
                    .integer({ min: 0, max: 3 })
                    .chain((d) => inputArb(s.map((v, i) => (i === axis ? d : v)))),
                  { minLength: 2, maxLength: 4 },
                ),
              ),
            ),
          ),
          ([axis, xs]) =>
            checkOp({ inputs: xs, impl: (...ts) => sg.concat(ts, axis), ref: (...rs) => R.concat(rs, axis) }),
        ),
        { numRuns: RUNS },
      ),
    );
  });

  it("split, expandDims and squeeze compose from the primitives", () => {
    onBackend(backend, () => {
      const x = sg.reshape(sg.arange(12, undefined, 1, "float32"), [3, 4]);
      const [a, b] = sg.split(x, [1, 3], 1);
      expect(a!.toArray()).toEqual([[0], [4], [8]]);
      expect(b!.shape).toEqual([3, 3]);
      expect(sg.expandDims(x, 1).shape).toEqual([3, 1, 4]);
      expect(sg.squeeze(sg.expandDims(x, -1)).shape).toEqual([3, 4]);
      expect(() => sg.reshape(x, [5, 2])).toThrow(
        /reshape: cannot reshape \[3, 4\] \(12 elements\) to \[5, 2\]/,
      );
    });
  });
});
