import {
  adamw,
  addDecayedWeights,
  chain,
  type EmptyState,
  type GradientTransformation,
  scaleByAdam,
  scaleByLearningRate,
} from "@scratchgrad/optim";
import { dispose, fromTypedArray, type Tensor, withBackend } from "@scratchgrad/tensor";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomFloats, runtimeConfigs } from "../test-utils/runtimes.js";
import { createWasmBackend, type WasmBackend } from "./wasm-backend.js";

const hyperparametersArb = fc.record({
  lr: fc.double({ min: 1e-6, max: 0.1, noNaN: true }),
  b1: fc.double({ min: 0, max: 0.99, noNaN: true }),
  b2: fc.double({ min: 0.9, max: 0.99999, noNaN: true }),
  eps: fc.constantFrom(1e-8, 1e-6, 1e-3),
  weightDecay: fc.constantFrom(0, 0.01, 0.1, 0.5),
  step: fc.integer({ min: 1, max: 100_000 }),
});

type State = readonly [{ count: number; mu: { w: Tensor }; nu: { w: Tensor } }, EmptyState, EmptyState];

// The fused kernel for optim's "adamw" update equals the chain it stands for (optim's
// scaleByAdam → addDecayedWeights → scaleByLearningRate, the reference) on the same backend, one
// parameter tensor at update `step`. Lengths cover the SIMD tail (n mod 4 ≠ 0) and, with
// forceParallel, chunks split over threads.
describe.each(runtimeConfigs)("fused adamw update on $name", ({ options }) => {
  let backend: WasmBackend;
  beforeAll(async () => {
    backend = await createWasmBackend(options);
  });
  afterAll(() => backend.close());

  it("equals the chain for random lengths and hyperparameters, inputs untouched", () => {
    const run = vi.spyOn(backend.fusedUpdates!.adamw!, "run");
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 70, max: 5000 })),
        fc.integer(),
        hyperparametersArb,
        (n, seed, h) =>
          withBackend(backend, () => {
            const data = [
              randomFloats(seed, n), // param
              randomFloats(seed + 1, n, -3, 3), // grad
              randomFloats(seed + 2, n, -0.5, 0.5), // m
              randomFloats(seed + 3, n, 0, 0.3), // v ≥ 0
            ].map((x) => Float32Array.from(x));
            const [p, g, m, v] = data.map((x) => fromTypedArray(x, [n], "float32")) as [
              Tensor,
              Tensor,
              Tensor,
              Tensor,
            ];
            const options = {
              learningRate: h.lr,
              b1: h.b1,
              b2: h.b2,
              eps: h.eps,
              weightDecay: h.weightDecay,
            };
            const fusedOpt = adamw(options) as GradientTransformation<State>;
            const chainOpt = chain(
              scaleByAdam(options),
              addDecayedWeights(h.weightDecay),
              scaleByLearningRate(h.lr),
            ) as GradientTransformation<State>;
            // the state after step − 1 updates
            const state: State = [{ count: h.step - 1, mu: { w: m }, nu: { w: v } }, {}, {}];
            const before = backend.liveBuffers();
            const calls = run.mock.calls.length;
            const fused = fusedOpt.update({ w: g }, state, { w: p });
            expect(run.mock.calls.length).toBe(calls + 1);
            expect(backend.liveBuffers() - before).toBe(3);
            const ref = chainOpt.update({ w: g }, state, { w: p });
            // Tolerances at the size of the terms each output sums (both sides round ~10 float32 ops):
            // the update's is lr·(|m̂|/(√v̂ + eps) + λ|p|), with m's terms before they cancel.
            const bc1 = 1 - h.b1 ** h.step;
            const bc2 = 1 - h.b2 ** h.step;
            const [pd, gd, md, vd] = data as [Float32Array, Float32Array, Float32Array, Float32Array];
            const outputs = ([update, [{ mu, nu }]]: readonly [{ w: Tensor }, State]) =>
              [update.w, mu.w, nu.w].map((t) => t.data());
            const got = outputs(fused);
            const want = outputs(ref);
            const worst = [0, 0, 0];
            for (let i = 0; i < n; i++) {
              const mTerms = Math.abs(h.b1 * md[i]!) + Math.abs((1 - h.b1) * gd[i]!);
              const vTerms = h.b2 * vd[i]! + (1 - h.b2) * gd[i]! * gd[i]!;
              const denom = Math.sqrt(vTerms) / Math.sqrt(bc2) + h.eps;
              const scales = [
                2e-6 * h.lr * (mTerms / bc1 / denom + h.weightDecay * Math.abs(pd[i]!)),
                1e-6 * mTerms,
                1e-6 * vTerms,
              ];
              for (let k = 0; k < 3; k++) {
                const err = Math.abs(got[k]![i]! - want[k]![i]!) / (scales[k]! + 1e-30);
                worst[k] = Math.max(worst[k]!, err);
              }
            }
            // each ≤ 1: the error within its tolerance everywhere
            expect(worst.map((w) => w <= 1)).toEqual([true, true, true]);
            [p, g, m, v].forEach((x, k) => {
              expect(x.data()).toEqual(data[k]);
            });
            dispose([p, g, m, v, fused, ref]);
            expect(backend.liveBuffers()).toBe(before - 4);
          }),
      ),
      { numRuns: 60 },
    );
    run.mockRestore();
  });
});
