import { add, disposeReplaced, div, scope, type Tensor, treeLeaves } from "@scratchgrad/tensor";
import { describe, expect, it } from "vitest";
import { accumulate } from "./accumulate.js";
import { applyUpdates, chain } from "./combine.js";
import { adamw } from "./optimizers.js";
import { linearWarmupDecay } from "./schedules.js";
import { randomTensor, snapshot, uniformStream } from "./test-utils/helpers.js";
import { clipByGlobalNorm, lastGlobalNorm } from "./transforms/clip.js";
import type { GradientTransformation } from "./types.js";

type Params = { readonly w: Tensor; readonly b: Tensor };
const next = uniformStream(3);
const params0: Params = { w: randomTensor(next, [2, 3]), b: randomTensor(next, [3]) };
const micro = Array.from(
  { length: 6 },
  (): Params => ({ w: randomTensor(next, [2, 3], 3), b: randomTensor(next, [3], 3) }),
);
const mean = (gs: Params[]): Params => ({
  w: div(
    gs.map((g) => g.w).reduce((a, b) => add(a, b)),
    gs.length,
  ),
  b: div(
    gs.map((g) => g.b).reduce((a, b) => add(a, b)),
    gs.length,
  ),
});

const run = <S>(opt: GradientTransformation<S>, grads: Params[]) => {
  let params = params0;
  let state = opt.init(params);
  const trajectory: Record<string, number[]>[] = [];
  for (const g of grads) {
    const n = scope(() => {
      const [u, s] = opt.update(g, state, params);
      return { params: applyUpdates(params, u), state: s };
    });
    if (params !== params0) disposeReplaced({ params, state }, n);
    params = n.params;
    state = n.state;
    trajectory.push(snapshot(params));
  }
  return { params, state, trajectory };
};

describe("accumulate", () => {
  const inner = () =>
    chain(
      clipByGlobalNorm(1),
      adamw({
        learningRate: linearWarmupDecay({ peak: 0.1, warmupSteps: 1, totalSteps: 4 }),
        weightDecay: 0.1,
      }),
    );

  it("k micro-steps equal one step on the averaged gradient (clipping and schedule included)", () => {
    const k = 3;
    const accumulated = run(accumulate(k, inner()), micro);
    // The reference: the plain optimizer on the mean of each window of k gradients.
    const windows = [micro.slice(0, 3), micro.slice(3, 6)];
    const averaged = windows.map(mean);
    const direct = run(inner(), averaged);
    const close = (a: Record<string, number[]>, b: Record<string, number[]>) => {
      for (const key of Object.keys(b)) {
        for (const [i, x] of a[key]!.entries()) expect(x).toBeCloseTo(b[key]![i]!, 6);
      }
    };
    // Parameters move only on every k-th micro-step, to where the direct run's steps go.
    expect(accumulated.trajectory[0]).toEqual(snapshot(params0));
    expect(accumulated.trajectory[1]).toEqual(snapshot(params0));
    close(accumulated.trajectory[2]!, direct.trajectory[0]!);
    expect(accumulated.trajectory[3]).toEqual(accumulated.trajectory[2]);
    expect(accumulated.trajectory[4]).toEqual(accumulated.trajectory[2]);
    close(accumulated.trajectory[5]!, direct.trajectory[1]!);
    expect(accumulated.state.gradientStep).toBe(2);
    expect(accumulated.state.miniStep).toBe(0);
    // the inner clip saw the averaged gradient
    expect(lastGlobalNorm(accumulated.state)?.item()).toBeCloseTo(lastGlobalNorm(direct.state)!.item(), 4);
  });

  it("k = 1 is the inner optimizer", () => {
    const a = run(accumulate(1, inner()), micro.slice(0, 2));
    const b = run(inner(), micro.slice(0, 2));
    expect(snapshot(a.params)).toEqual(snapshot(b.params));
  });

  it("keeps a zeroed accumulator between windows and rejects a bad k", () => {
    const { state } = run(accumulate(2, inner()), micro.slice(0, 2));
    for (const t of treeLeaves(state.accumulated))
      expect(Array.from(t.data()).every((x) => x === 0)).toBe(true);
    expect(() => accumulate(0, inner())).toThrow(/positive integer/);
  });
});
