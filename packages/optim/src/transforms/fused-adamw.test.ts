import * as sg from "@scratchgrad/tensor";
import { currentBackend, disposeReplaced, scope } from "@scratchgrad/tensor";
import { RUNS, shapeArb, valuesArb } from "@scratchgrad/tensor/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyUpdates, chain } from "../combine.js";
import { decayMask } from "../mask.js";
import { adamw } from "../optimizers.js";
import { linearWarmupDecay } from "../schedules.js";
import { randomTensor, snapshot, uniformStream } from "../test-utils/helpers.js";
import type { GradientTransformation } from "../types.js";
import { scaleByAdam } from "./adam.js";
import { addDecayedWeights } from "./decay.js";
import { type AdamWUpdateParams, adamwStep } from "./fused-adamw.js";
import { scaleByLearningRate } from "./scale.js";

// adamw runs as one adamwStep per leaf (the backend's fused kernel for "adamw" where it has one); the
// chain it stands for is the specification. Leaves of 1, 5 and 4099 elements: a SIMD kernel's tail loop and main loop.
const makeParams = (seed: number, scale = 1) => {
  const next = uniformStream(seed);
  return {
    h: { weight: randomTensor(next, [3, 5], scale), bias: randomTensor(next, [5], scale) },
    wte: { weight: randomTensor(next, [4099], scale) },
    scale: randomTensor(next, [], scale),
  };
};
type Params = ReturnType<typeof makeParams>;
// gradients of alternating size, so the moments see both large and tiny (≈ eps) values
const gradients = (step: number): Params => makeParams(1000 + step, step % 2 ? 1 : 1e-3);

const options = (params: Params) => ({
  learningRate: linearWarmupDecay({ peak: 1e-2, warmupSteps: 2, totalSteps: 10 }),
  b1: 0.8,
  b2: 0.95,
  eps: 1e-7,
  weightDecay: 0.1,
  mask: decayMask(params),
});
const decomposed = (params: Params) => {
  const o = options(params);
  return chain(
    scaleByAdam({ b1: o.b1, b2: o.b2, eps: o.eps }),
    addDecayedWeights(o.weightDecay, o.mask),
    scaleByLearningRate(o.learningRate),
  );
};

const train = (
  opt: GradientTransformation<any>,
  start: { params: Params; state: unknown },
  from: number,
  to: number,
) => {
  let current = start;
  for (let step = from; step < to; step++) {
    const next = scope(() => {
      const [updates, state] = opt.update(gradients(step), current.state, current.params);
      return { params: applyUpdates(current.params, updates), state };
    });
    disposeReplaced(current, next);
    current = next;
  }
  return current;
};

const fresh = (opt: GradientTransformation<any>) => {
  const params = makeParams(7);
  return { params, state: opt.init(params) };
};

describe("adamw (one adamwStep per leaf) against the chain it stands for", () => {
  // GPU.js backends have no kernel for "adamw": adamwStep runs the chain's own primitives, so the very
  // same floats.
  const fusedHere = currentBackend().fusedUpdates?.adamw !== undefined;
  const expectSame = (got: Record<string, number[]>, want: Record<string, number[]>) => {
    expect(Object.keys(got)).toEqual(Object.keys(want));
    if (!fusedHere) return expect(got).toEqual(want);
    // At the scale of each leaf: m = β1·m + (1 − β1)·g may cancel to far below its terms, so its
    // rounding (FMA or not) shows relative to the leaf's size rather than to each element's.
    for (const [path, values] of Object.entries(want)) {
      const scale = Math.max(...values.map(Math.abs));
      values.forEach((w, i) => {
        expect(Math.abs(got[path]![i]! - w), `${path}[${i}]`).toBeLessThanOrEqual(2e-6 * scale);
      });
    }
  };

  it(`6 steps give the chain's parameters and state (${fusedHere ? "within float32 rounding" : "bit for bit"})`, () => {
    const params = makeParams(7);
    const fusedOpt = adamw(options(params));
    const chainOpt = decomposed(params);
    const a = train(fusedOpt, fresh(fusedOpt), 0, 6);
    const b = train(chainOpt, fresh(chainOpt), 0, 6);
    expectSame(snapshot(a.params), snapshot(b.params));
    expectSame(snapshot(a.state), snapshot(b.state));
    // same state tree, plain numbers included: [{ count, mu, nu }, {}, { count }] (the schedule's)
    const counts = (s: unknown) => JSON.stringify(s, (_k, v) => (v?.constructor?.name === "Tensor" ? 0 : v));
    expect(counts(a.state)).toEqual(counts(b.state));
    expect((a.state as [{ count: number }])[0].count).toBe(6);
  });

  it("continues a state the chain made (existing checkpoints) and vice versa", () => {
    const params = makeParams(7);
    const fusedOpt = adamw(options(params));
    const chainOpt = decomposed(params);
    const straight = train(chainOpt, fresh(chainOpt), 0, 6);
    const switched = train(chainOpt, train(fusedOpt, train(chainOpt, fresh(chainOpt), 0, 2), 2, 4), 4, 6);
    expectSame(snapshot(switched.params), snapshot(straight.params));
    expectSame(snapshot(switched.state), snapshot(straight.state));
  });

  it("without params, runs the chain: fine without decay, and says params are needed with it", () => {
    scope(() => {
      const params = makeParams(7);
      const g = gradients(0);
      const noDecay = adamw({ learningRate: 1e-3, weightDecay: 0 });
      const [u] = noDecay.update(g, noDecay.init(params));
      const [v] = noDecay.update(g, noDecay.init(params), params);
      expectSame(snapshot(u), snapshot(v));
      const decayed = adamw({ learningRate: 1e-3, weightDecay: 0.1 });
      expect(() => decayed.update(g, decayed.init(params))).toThrow(/addDecayedWeights: .* needs params/);
    });
  });
});

// torch.optim.AdamW's step for one tensor, in float64: the update p_next − p and the next moments,
// with the size of the terms each sums (tolerances allow float32 cancellation in m and between the
// decay and Adam terms).
const torchStep = ([p, g, m, v]: readonly number[][], h: AdamWUpdateParams) => {
  const bc1 = 1 - h.b1 ** h.step;
  const bc2 = 1 - h.b2 ** h.step;
  const out = { update: [] as number[], mu: [] as number[], nu: [] as number[] };
  const scale = { update: [] as number[], mu: [] as number[], nu: [] as number[] };
  p!.forEach((pi, i) => {
    const gi = g![i]!;
    const mi = h.b1 * m![i]! + (1 - h.b1) * gi;
    const vi = h.b2 * v![i]! + (1 - h.b2) * gi * gi;
    const denom = Math.sqrt(vi) / Math.sqrt(bc2) + h.eps;
    out.update.push(-h.lr * (mi / bc1 / denom + h.weightDecay * pi));
    out.mu.push(mi);
    out.nu.push(vi);
    const mTerms = Math.abs(h.b1 * m![i]!) + Math.abs((1 - h.b1) * gi);
    scale.update.push(h.lr * (mTerms / bc1 / denom + Math.abs(h.weightDecay * pi)));
    scale.mu.push(mTerms);
    scale.nu.push(vi);
  });
  return { out, scale };
};

const stepParamsArb: fc.Arbitrary<AdamWUpdateParams> = fc.record({
  lr: fc.double({ min: 1e-5, max: 0.1, noNaN: true }),
  b1: fc.constantFrom(0, 0.5, 0.9, 0.95),
  b2: fc.constantFrom(0.9, 0.95, 0.999, 0.9999),
  eps: fc.constantFrom(1e-8, 1e-6),
  weightDecay: fc.constantFrom(0, 0.01, 0.1),
  step: fc.integer({ min: 1, max: 5000 }),
});

describe("adamwStep (one parameter tensor)", () => {
  const caseArb = shapeArb(0, 3, 6).chain((shape) =>
    fc.tuple(
      fc.constant(shape),
      fc.tuple(valuesArb(shape), valuesArb(shape), valuesArb(shape, -1, 1), valuesArb(shape, 0, 1)),
      stepParamsArb,
    ),
  );

  it("matches torch.optim.AdamW's step (float64), leaves its inputs unchanged, frees its temporaries", () => {
    const backend = currentBackend();
    fc.assert(
      fc.property(caseArb, ([shape, values, h]) => {
        const [p, g, m, v] = values.map((x) => sg.tensor(Float32Array.from(x), shape));
        // As stored (a backend may flush subnormal inputs to 0 on upload, as the wasm one does).
        const stored = [p, g, m, v].map((t) => Array.from(t!.data()));
        const before = backend.liveBuffers();
        const out = adamwStep(p!, g!, m!, v!, h);
        expect(backend.liveBuffers() - before).toBe(3);
        const { out: want, scale } = torchStep(values, h);
        (["update", "mu", "nu"] as const).forEach((k, j) => {
          const rtol = k === "update" ? 1e-5 : 1e-6;
          expect(out[j]!.shape).toEqual(shape);
          Array.from(out[j]!.data()).forEach((x, i) => {
            expect(Math.abs(x - want[k][i]!), `${k}[${i}]`).toBeLessThanOrEqual(rtol * scale[k][i]! + 1e-30);
          });
        });
        stored.forEach((x, k) => {
          expect(Array.from([p, g, m, v][k]!.data())).toEqual(x);
        });
        sg.dispose([p, g, m, v, out]);
      }),
      { numRuns: RUNS },
    );
  });

  it("is differentiable through the chain's math under vjp", () =>
    scope(() => {
      const h = { lr: 0.01, b1: 0.9, b2: 0.99, eps: 1e-8, weightDecay: 0.1, step: 3 };
      const [g, m, v] = [
        [0.1, 0.2, -0.3],
        [0.01, 0, -0.02],
        [0.001, 0.002, 0.003],
      ].map((x) => sg.tensor(x));
      // d update / d p = −lr·λ elementwise (the Adam term does not depend on p)
      const dp = sg.grad((q: sg.Tensor) => sg.sum(adamwStep(q, g!, m!, v!, h)[0]!))(sg.tensor([0.5, -1, 2]));
      for (const x of dp.data()) expect(x).toBeCloseTo(-0.01 * 0.1, 7);
    }));

  it("says what is wrong with its inputs", () =>
    scope(() => {
      const h = { lr: 0.01, b1: 0.9, b2: 0.99, eps: 1e-8, weightDecay: 0, step: 1 };
      const x = sg.zeros([2, 3]);
      expect(() => adamwStep(x, sg.zeros([3]), x, x, h)).toThrow(/grad has shape \[3\].*\[2, 3\]/);
      expect(() => adamwStep(x, x, sg.zeros([2, 3], "int32"), x, h)).toThrow(/mu must be float32, got int32/);
    }));
});
