import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as sg from "../index.js";
import { checkOp, inputArb, onBackend, RUNS, shapeArb, testBackends } from "../test-utils/check.js";
import * as R from "../test-utils/reference.js";

const lastAxis = (r: R.Ref) => [r.shape.length - 1];
const sumLast = (r: R.Ref) => R.reduce(r, lastAxis(r), true, 0, (a, v) => a + v);
const maxLast = (r: R.Ref) => R.reduce(r, lastAxis(r), true, Number.NEGATIVE_INFINITY, Math.max);

// float64 references of the composites, written directly from their definitions
const refMean = (r: R.Ref) => R.map(sumLast(r), (v) => v / r.shape[r.shape.length - 1]!);
const refVariance = (r: R.Ref) => {
  const m = refMean(r);
  return refMean(R.zipN([r, m], (x, mu) => (x - mu) ** 2));
};
const refLogsumexp = (r: R.Ref) => {
  const m = maxLast(r);
  return R.zipN([R.map(sumLast(R.zipN([r, m], (x, mx) => Math.exp(x - mx))), Math.log), m], (a, b) => a + b);
};
const refSoftmax = (r: R.Ref) => {
  const lse = refLogsumexp(r);
  return R.zipN([r, lse], (x, l) => Math.exp(x - l));
};
const refGeluTanh = (x: number) =>
  0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
const refGeluErf = (x: number) => 0.5 * x * (1 + R.erf(x / Math.SQRT2));

const rowsArb = shapeArb(1, 3).chain((s) => inputArb(s, -3, 3));

describe.each(testBackends)("composites on %s", (_name, backend) => {
  const prop = <A>(name: string, arb: fc.Arbitrary<A>, run: (x: A) => void) =>
    it(name, () => onBackend(backend, () => fc.assert(fc.property(arb, run), { numRuns: RUNS })));

  prop("mean over the last axis", rowsArb, (x) =>
    checkOp({ inputs: [x], impl: (t) => sg.mean(t, -1, true), ref: refMean }),
  );
  prop("variance (biased) over the last axis", rowsArb, (x) =>
    checkOp({ inputs: [x], impl: (t) => sg.variance(t, -1, true), ref: refVariance }),
  );
  prop("logsumexp is stable and exact", rowsArb, (x) =>
    checkOp({ inputs: [x], impl: (t) => sg.logsumexp(t, -1, true), ref: refLogsumexp }),
  );
  prop("softmax", rowsArb, (x) => checkOp({ inputs: [x], impl: (t) => sg.softmax(t, -1), ref: refSoftmax }));
  prop("logSoftmax", rowsArb, (x) =>
    checkOp({
      inputs: [x],
      impl: (t) => sg.logSoftmax(t, -1),
      ref: (r) => R.zipN([r, refLogsumexp(r)], (a, l) => a - l),
    }),
  );
  prop("gelu (tanh form, GPT-2's gelu_new)", rowsArb, (x) =>
    checkOp({ inputs: [x], impl: (t) => sg.gelu(t, "tanh"), ref: (r) => R.map(r, refGeluTanh) }),
  );
  prop("gelu (erf form, BERT's)", rowsArb, (x) =>
    checkOp({ inputs: [x], impl: (t) => sg.gelu(t, "none"), ref: (r) => R.map(r, refGeluErf) }),
  );

  prop(
    "layerNorm with weight and bias",
    shapeArb(1, 2).chain((s) => {
      const c = fc.integer({ min: 2, max: 6 });
      return c.chain((d) => fc.tuple(inputArb([...s, d], -3, 3), inputArb([d]), inputArb([d])));
    }),
    ([x, w, b]) =>
      checkOp({
        inputs: [x, w, b],
        impl: (t, wt, bt) => sg.layerNorm(t, wt, bt, 1e-5),
        ref: (r, wr, br) => {
          const mu = refMean(r);
          const inv = R.map(refVariance(r), (v) => 1 / Math.sqrt(v + 1e-5));
          return R.zipN([r, mu, inv, wr, br], (a, m, i, ww, bb) => (a - m) * i * ww + bb);
        },
        atol: 3e-4,
        gradTol: 5e-3,
      }),
  );

  prop(
    "crossEntropy (mean over non-ignored targets, ignore index -100)",
    fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 2, max: 7 })).chain(([n, v]) =>
      fc.tuple(
        inputArb([n, v], -3, 3),
        fc.array(fc.oneof(fc.integer({ min: 0, max: v - 1 }), fc.constant(-100)), {
          minLength: n,
          maxLength: n,
        }),
      ),
    ),
    ([logits, targets]) =>
      checkOp({
        inputs: [logits, { shape: [targets.length], values: targets, dtype: "int32" }],
        impl: (l, t) => sg.crossEntropy(l, t),
        ref: (l) => {
          const lse = refLogsumexp(l);
          const v = l.shape[1]!;
          let total = 0;
          let count = 0;
          targets.forEach((t, i) => {
            if (t === -100) return;
            total += lse.data[i]! - l.data[i * v + t]!;
            count++;
          });
          return { data: Float64Array.of(total / Math.max(count, 1)), shape: [] };
        },
      }),
  );

  it("dropout keeps expectation, is reproducible from its key, and is the identity in eval", () => {
    onBackend(backend, () => {
      const x = sg.ones([4000]);
      const k = sg.random.key(3);
      const a = sg.dropout(k, x, 0.1);
      const b = sg.dropout(k, x, 0.1);
      expect(Array.from(a.data())).toEqual(Array.from(b.data()));
      const kept = Array.from(a.data()).filter((v) => v !== 0);
      expect(Math.abs(kept.length / 4000 - 0.9)).toBeLessThan(0.03);
      // p is rounded to a multiple of 2^-16, so the scale is 1/(1 - 0.100006)
      expect(kept.every((v) => Math.abs(v - 1 / 0.9) < 1e-4)).toBe(true);
      expect(sg.dropout(k, x, 0.1, false)).toBe(x);
      // its VJP is the same mask
      const g = sg.grad((t: sg.Tensor) => sg.sum(sg.dropout(k, t, 0.1)))(x);
      expect(Array.from(g.data())).toEqual(Array.from(a.data()));
    });
  });

  it("softmax and logsumexp stay finite for huge logits", () => {
    onBackend(backend, () => {
      const x = sg.tensor([[1000, 1001, 999]]);
      expect(Array.from(sg.softmax(x).data()).every(Number.isFinite)).toBe(true);
      expect(sg.logsumexp(x, -1).item()).toBeCloseTo(1001 + Math.log(1 + Math.exp(-1) + Math.exp(-2)), 3);
    });
  });
});
