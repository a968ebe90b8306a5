import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as sg from "../index.js";
import {
  broadcastShapesArb,
  checkOp,
  inputArb,
  onBackend,
  RUNS,
  shapeArb,
  testBackends,
} from "../test-utils/check.js";
import * as R from "../test-utils/reference.js";

type Unary =
  | "neg"
  | "exp"
  | "log"
  | "sqrt"
  | "rsqrt"
  | "tanh"
  | "erf"
  | "abs"
  | "sign"
  | "reciprocal"
  | "sin"
  | "cos";
const unaryCases: [Unary, (x: number) => number, number, number][] = [
  ["neg", (x) => -x, -3, 3],
  ["exp", Math.exp, -3, 3],
  ["log", Math.log, 0.1, 4],
  ["sqrt", Math.sqrt, 0.1, 4],
  ["rsqrt", (x) => 1 / Math.sqrt(x), 0.2, 4],
  ["tanh", Math.tanh, -4, 4],
  ["erf", R.erf, -3, 3],
  ["abs", Math.abs, -3, 3],
  ["sign", Math.sign, -3, 3],
  ["reciprocal", (x) => 1 / x, 0.3, 3],
  ["sin", Math.sin, -3, 3],
  ["cos", Math.cos, -3, 3],
];

type Binary = "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum";
const binaryCases: [Binary, (x: number, y: number) => number, [number, number], [number, number]][] = [
  ["add", (x, y) => x + y, [-2, 2], [-2, 2]],
  ["sub", (x, y) => x - y, [-2, 2], [-2, 2]],
  ["mul", (x, y) => x * y, [-2, 2], [-2, 2]],
  ["div", (x, y) => x / y, [-2, 2], [0.5, 2]],
  ["pow", Math.pow, [0.3, 2], [-2, 2]],
  ["maximum", Math.max, [-2, 2], [-2, 2]],
  ["minimum", Math.min, [-2, 2], [-2, 2]],
];

type Compare = "equal" | "notEqual" | "less" | "lessEqual" | "greater" | "greaterEqual";
const compareCases: [Compare, (x: number, y: number) => boolean][] = [
  ["equal", (x, y) => x === y],
  ["notEqual", (x, y) => x !== y],
  ["less", (x, y) => x < y],
  ["lessEqual", (x, y) => x <= y],
  ["greater", (x, y) => x > y],
  ["greaterEqual", (x, y) => x >= y],
];

describe.each(testBackends)("elementwise primitives on %s", (_name, backend) => {
  it.each(unaryCases)("%s matches float64 and its VJP matches finite differences", (op, fn, lo, hi) => {
    onBackend(backend, () =>
      fc.assert(
        fc.property(
          shapeArb(0, 3).chain((s) => inputArb(s, lo, hi)),
          (raw) => {
            // abs and sign have a kink at 0 where finite differences are meaningless: stay away from it
            const x = op === "abs" || op === "sign" ? awayFromZero(raw) : raw;
            checkOp({
              inputs: [x],
              impl: (t) => sg[op](t),
              ref: (r) => R.map(r, fn),
              atol: 2e-5 * Math.max(1, Math.exp(hi) / 10),
            });
          },
        ),
        { numRuns: RUNS },
      ),
    );
  });

  it.each(binaryCases)(
    "%s broadcasts like NumPy and its VJP sums back to each input's shape",
    (op, fn, [alo, ahi], [blo, bhi]) => {
      onBackend(backend, () =>
        fc.assert(
          fc.property(
            broadcastShapesArb(2).chain(([sa, sb]) =>
              fc.tuple(inputArb(sa!, alo, ahi), inputArb(sb!, blo, bhi)),
            ),
            ([rawA, rawB]) => {
              // maximum/minimum: keep operands ≥ 0.25 apart, away from the tie where the derivative jumps
              const [a, b] =
                op === "maximum" || op === "minimum" ? [offLattice(rawA), onLattice(rawB)] : [rawA, rawB];
              checkOp({
                inputs: [a, b],
                impl: (x, y) => sg[op](x, y),
                ref: (x, y) => R.zipN([x, y], fn),
                atol: 1e-4,
              });
            },
          ),
          { numRuns: RUNS },
        ),
      );
    },
  );

  it.each(compareCases)("%s returns bool and broadcasts", (op, fn) => {
    onBackend(backend, () =>
      fc.assert(
        fc.property(
          broadcastShapesArb(2).chain(([sa, sb]) =>
            fc.tuple(inputArb(sa!, -2, 2).map(roundTo), inputArb(sb!, -2, 2).map(roundTo)),
          ),
          ([a, b]) =>
            checkOp({
              inputs: [a, b],
              impl: (x, y) => sg.cast(sg[op](x, y), "float32"),
              ref: (x, y) => R.zipN([x, y], (p, q) => (fn(p, q) ? 1 : 0)),
              noGrad: true,
            }),
        ),
        { numRuns: RUNS },
      ),
    );
  });

  it("where selects and routes the gradient to the chosen branch", () => {
    onBackend(backend, () =>
      fc.assert(
        fc.property(
          broadcastShapesArb(3).chain(([sc, sa, sb]) =>
            fc.tuple(inputArb(sc!), inputArb(sa!), inputArb(sb!)),
          ),
          ([rawC, a, b]) => {
            const c = awayFromZero(rawC);
            checkOp({
              inputs: [a, b, c],
              impl: (x, y, cond) => sg.where(sg.greater(cond, 0), x, y),
              ref: (x, y, cond) => R.zipN([x, y, cond], (p, q, r) => (r > 0 ? p : q)),
            });
          },
        ),
        { numRuns: RUNS },
      ),
    );
  });

  it("cast truncates toward zero and passes float gradients", () => {
    onBackend(backend, () => {
      checkOp({
        inputs: [{ shape: [4], values: [-1.7, -0.2, 0.5, 2.9] }],
        impl: (x) => sg.cast(sg.cast(x, "int32"), "float32"),
        ref: (x) => R.map(x, Math.trunc),
        noGrad: true,
      });
      checkOp({
        inputs: [{ shape: [3], values: [0, 2, -1] }],
        impl: (x) => sg.cast(sg.cast(x, "bool"), "float32"),
        ref: (x) => R.map(x, (v) => (v !== 0 ? 1 : 0)),
        noGrad: true,
      });
      checkOp({
        inputs: [{ shape: [2], values: [1, 2] }],
        impl: (x) => sg.mul(sg.cast(x, "float32"), x),
        ref: (x) => R.map(x, (v) => v * v),
      });
    });
  });

  it("maximum and minimum split the gradient equally on ties, as PyTorch", () => {
    onBackend(backend, () => {
      const [ga, gb] = sg.grad((ab: sg.Tensor[]) => sg.sum(sg.maximum(ab[0]!, ab[1]!)))([
        sg.tensor([1, 2, 3]),
        sg.tensor([1, 0, 5]),
      ]) as sg.Tensor[];
      expect(Array.from(ga!.data())).toEqual([0.5, 1, 0]);
      expect(Array.from(gb!.data())).toEqual([0.5, 0, 1]);
      const [gc] = sg.grad((ab: sg.Tensor[]) => sg.sum(sg.minimum(ab[0]!, ab[1]!)))([
        sg.tensor([1, 2]),
        sg.tensor([1, 0]),
      ]) as sg.Tensor[];
      expect(Array.from(gc!.data())).toEqual([0.5, 0]);
    });
  });

  it("stopGradient blocks the gradient", () => {
    onBackend(backend, () => {
      const g = sg.grad((x: sg.Tensor) => sg.sum(sg.mul(sg.stopGradient(x), x)))(sg.tensor([1, 2, 3]));
      expect(Array.from(g.data())).toEqual([1, 2, 3]);
    });
  });
});

/** Rounds inputs to halves so that comparisons see ties. */
const roundTo = (x: { shape: readonly number[]; values: readonly number[] }) => ({
  ...x,
  values: x.values.map((v) => Math.round(v * 2) / 2),
});

type In = { shape: readonly number[]; values: readonly number[] };
const awayFromZero = (x: In): In => ({ ...x, values: x.values.map((v) => (v >= 0 ? v + 0.1 : v - 0.1)) });
const onLattice = (x: In): In => ({ ...x, values: x.values.map((v) => Math.round(v * 2) / 2) });
const offLattice = (x: In): In => ({ ...x, values: x.values.map((v) => Math.round(v * 2) / 2 + 0.25) });
