import {
  type AdamWUpdateParams,
  adamwUpdate,
  adamwUpdateReference,
  dispose,
  fromTypedArray,
  type Tensor,
  withBackend,
} from "@scratchgrad/tensor";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomFloats, runtimeConfigs } from "../test-utils/runtimes.js";
import { createWasmBackend, type WasmBackend } from "./wasm-backend.js";

const hyperparametersArb: fc.Arbitrary<AdamWUpdateParams> = fc.record({
  lr: fc.double({ min: 1e-6, max: 0.1, noNaN: true }),
  beta1: fc.double({ min: 0, max: 0.99, noNaN: true }),
  beta2: fc.double({ min: 0.9, max: 0.99999, noNaN: true }),
  eps: fc.constantFrom(1e-8, 1e-6, 1e-3),
  weightDecay: fc.constantFrom(0, 0.01, 0.1, 0.5),
  step: fc.integer({ min: 1, max: 100_000 }),
  gradScale: fc.oneof(fc.constant(1), fc.double({ min: 0.01, max: 1, noNaN: true })),
});

// The fused kernel equals adamwUpdate's reference (the primitives optim's chain used) on the same
// backend. Lengths cover the SIMD tail (n mod 4 ≠ 0) and, with forceParallel, chunks split over threads.
describe.each(runtimeConfigs)("fused adamwUpdate on $name", ({ options }) => {
  let backend: WasmBackend;
  beforeAll(async () => {
    backend = await createWasmBackend(options);
  });
  afterAll(() => backend.close());

  it("equals the reference for random lengths and hyperparameters, inputs untouched", () => {
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
            const before = backend.liveBuffers();
            const calls = run.mock.calls.length;
            const fused = adamwUpdate(p, g, m, v, h);
            expect(run.mock.calls.length).toBe(calls + 1);
            expect(backend.liveBuffers() - before).toBe(3);
            const ref = adamwUpdateReference(p, g, m, v, h);
            // Tolerances at the size of the terms each output sums (both sides round ~10 float32 ops):
            // the update's is lr·(|m̂|/(√v̂ + eps) + λ|p|), with m's terms before they cancel.
            const bc1 = 1 - h.beta1 ** h.step;
            const bc2 = 1 - h.beta2 ** h.step;
            const [pd, gd, md, vd] = data as [Float32Array, Float32Array, Float32Array, Float32Array];
            const got = [fused.update.data(), fused.mu.data(), fused.nu.data()];
            const want = [ref.update.data(), ref.mu.data(), ref.nu.data()];
            const worst = [0, 0, 0];
            for (let i = 0; i < n; i++) {
              const g = h.gradScale * gd[i]!;
              const mTerms = Math.abs(h.beta1 * md[i]!) + Math.abs((1 - h.beta1) * g);
              const vTerms = h.beta2 * vd[i]! + (1 - h.beta2) * g * g;
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
