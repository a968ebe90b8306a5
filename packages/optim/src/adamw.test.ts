import { disposeReplaced, scope, type Tensor, tensor } from "@scratchgrad/tensor";
import { describe, expect, it } from "vitest";
import { applyUpdates } from "./combine.js";
import { decayMask } from "./mask.js";
import { adamw } from "./optimizers.js";
import { linearWarmupDecay } from "./schedules.js";
import { randomValues, snapshot, uniformStream } from "./test-utils/helpers.js";
import type { Schedule } from "./types.js";

// torch.optim.AdamW as its documentation states the algorithm, in float64, one parameter tensor at a
// time: at step t (1-based) with rate γ = lr(t − 1):
//   θ ← θ − γλθ;  m ← β1 m + (1 − β1) g;  v ← β2 v + (1 − β2) g²
//   m̂ = m / (1 − β1ᵗ);  v̂ = v / (1 − β2ᵗ);  θ ← θ − γ m̂ / (√v̂ + ε)
interface Reference {
  theta: number[];
  m: number[];
  v: number[];
}
const referenceAdamW = (
  theta0: number[],
  gradients: number[][],
  o: { lr: Schedule; b1: number; b2: number; eps: number; weightDecay: number },
): Reference => {
  const state: Reference = { theta: [...theta0], m: theta0.map(() => 0), v: theta0.map(() => 0) };
  gradients.forEach((g, i) => {
    const t = i + 1;
    const lr = o.lr(i);
    for (let j = 0; j < theta0.length; j++) {
      state.theta[j]! -= lr * o.weightDecay * state.theta[j]!;
      state.m[j] = o.b1 * state.m[j]! + (1 - o.b1) * g[j]!;
      state.v[j] = o.b2 * state.v[j]! + (1 - o.b2) * g[j]! ** 2;
      const mHat = state.m[j]! / (1 - o.b1 ** t);
      const vHat = state.v[j]! / (1 - o.b2 ** t);
      state.theta[j]! -= (lr * mHat) / (Math.sqrt(vHat) + o.eps);
    }
  });
  return state;
};

const STEPS = 7;
// Three leaves: a matrix (decayed by the default mask), a bias (exempt), and a leaf whose gradients
// are ~1e-8, where √v̂ is as small as eps: there the update is ≈ m̂ / (2√v̂), so eps placed inside
// the square root or before bias correction would change the result by tens of percent.
const shapes = { w: [3, 4], b: [4], tiny: { weight: [2, 3] } } as const;
const gradientScale = { w: 1, b: 0.5, tiny: 1e-8 };

interface Case {
  readonly name: string;
  readonly learningRate: number | Schedule;
  readonly weightDecay: number;
  readonly masked: boolean;
  readonly b1?: number;
  readonly b2?: number;
  readonly eps?: number;
}

const cases: Case[] = [
  { name: "no weight decay", learningRate: 1e-2, weightDecay: 0, masked: false },
  { name: "weight decay on every parameter", learningRate: 1e-2, weightDecay: 0.1, masked: false },
  { name: "weight decay with the default mask", learningRate: 3e-2, weightDecay: 0.3, masked: true },
  {
    name: "linear warmup/decay schedule, betas (0.8, 0.95), eps 1e-6",
    learningRate: linearWarmupDecay({ peak: 5e-2, warmupSteps: 3, totalSteps: STEPS + 2 }),
    weightDecay: 0.05,
    masked: true,
    b1: 0.8,
    b2: 0.95,
    eps: 1e-6,
  },
];

describe("adamw matches torch.optim.AdamW (float64 reference)", () => {
  it.each(cases)("$name, over 7 steps", (c) => {
    const next = uniformStream(42);
    const b1 = c.b1 ?? 0.9;
    const b2 = c.b2 ?? 0.999;
    const eps = c.eps ?? 1e-8;
    const theta0 = { w: randomValues(next, 12), b: randomValues(next, 4), tiny: randomValues(next, 6) };
    const grads = Array.from({ length: STEPS }, () => ({
      w: randomValues(next, 12, gradientScale.w),
      b: randomValues(next, 4, gradientScale.b),
      tiny: randomValues(next, 6, gradientScale.tiny),
    }));
    const toTree = (x: { w: number[]; b: number[]; tiny: number[] }) => ({
      w: tensor(x.w, [...shapes.w]),
      b: tensor(x.b, [...shapes.b]),
      tiny: { weight: tensor(x.tiny, [...shapes.tiny.weight]) },
    });

    let params = toTree(theta0);
    const opt = adamw({
      learningRate: c.learningRate,
      b1,
      b2,
      eps,
      weightDecay: c.weightDecay,
      ...(c.masked ? { mask: decayMask(params) } : {}),
    });
    let state = opt.init(params);
    for (const g of grads) {
      const next = scope(() => {
        const gradTree = toTree(g);
        const [updates, s] = opt.update(gradTree, state, params);
        return { params: applyUpdates(params, updates), state: s };
      });
      disposeReplaced({ params, state }, next);
      params = next.params;
      state = next.state;
    }

    const lr = typeof c.learningRate === "number" ? (_: number) => c.learningRate as number : c.learningRate;
    const got = snapshot(params);
    const gotState = snapshot(state);
    for (const [key, path] of [
      ["w", "w"],
      ["b", "b"],
      ["tiny", "tiny.weight"],
    ] as const) {
      // The default mask decays only the matrices w and tiny.weight, never the bias b.
      const decays = !c.masked || key !== "b";
      const ref = referenceAdamW(
        theta0[key],
        grads.map((g) => g[key]),
        { lr, b1, b2, eps, weightDecay: decays ? c.weightDecay : 0 },
      );
      got[path]!.forEach((value, j) => {
        // Compare the displacement from θ0 to the reference's (7 updates of ~lr each).
        const moved = value - theta0[key][j]!;
        const refMoved = ref.theta[j]! - theta0[key][j]!;
        expect(Math.abs(moved - refMoved), `${path}[${j}]`).toBeLessThanOrEqual(
          2e-4 * Math.abs(refMoved) + 3e-7,
        );
      });
      // The moments themselves: m and v of PyTorch's state (exp_avg, exp_avg_sq).
      gotState[`0.mu.${path}`]!.forEach((m, j) => {
        expect(m).toBeCloseTo(ref.m[j]!, 6 - Math.round(Math.log10(1 / gradientScale[key])));
      });
      gotState[`0.nu.${path}`]!.forEach((v, j) => {
        expect(Math.abs(v - ref.v[j]!)).toBeLessThanOrEqual(1e-5 * ref.v[j]! + 1e-30);
      });
    }
    expect(gotState["0.count"]).toBeUndefined(); // counts are numbers, not tensors
    expect((state as unknown as [{ count: number }])[0].count).toBe(STEPS);
  });

  it("puts eps after bias correction, outside the square root (one step with g = 1e-8 moves by lr/2)", () => {
    // PyTorch: lr·g/(|g| + eps) = lr/2. eps inside √ gives ≈ lr·1e-4; eps before bias correction ≈ lr/33.
    const g = 1e-8;
    const p = tensor([0]);
    const opt = adamw({ learningRate: 1, weightDecay: 0 });
    const [u] = opt.update(tensor([g]) as Tensor, opt.init(p), p);
    expect((u as Tensor).item()).toBeCloseTo(-0.5, 5);
  });
});
