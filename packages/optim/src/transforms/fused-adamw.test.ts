import { currentBackend, disposeReplaced, scope } from "@scratchgrad/tensor";
import { describe, expect, it } from "vitest";
import { applyUpdates, chain } from "../combine.js";
import { decayMask } from "../mask.js";
import { adamw } from "../optimizers.js";
import { linearWarmupDecay } from "../schedules.js";
import { randomTensor, snapshot, uniformStream } from "../test-utils/helpers.js";
import type { GradientTransformation } from "../types.js";
import { scaleByAdam } from "./adam.js";
import { addDecayedWeights } from "./decay.js";
import { scaleByLearningRate } from "./scale.js";

// adamw runs as one adamwUpdate per leaf (fused on backends with a kernel); the chain it stands for
// is the specification. Leaves of 1, 5 and 4099 elements: a SIMD kernel's tail loop and main loop.
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

describe("adamw (one adamwUpdate per leaf) against the chain it stands for", () => {
  // GPU.js backends run adamwUpdate's reference: the chain's own primitives, so the very same floats.
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
