/**
 * The fused attention kernels against the decomposition they replace, on the same wasm runtime: a
 * copy of the backend without `fused.attention` runs the primitives (matmul, softmax, …). Values and
 * gradients of q, k and v must agree, for GPT-2 (causal) and BERT (padding mask) shapes, with
 * dropout; and the fused path must leave no buffer behind.
 */
import * as sg from "@scratchgrad/tensor";
import fc from "fast-check";
import { afterAll, expect, it, vi } from "vitest";
import { createWasmBackend } from "./wasm-backend.js";

const backend = await createWasmBackend({ threads: 2, initialMemoryMiB: 32 });
afterAll(() => backend.close());
const decomposed: sg.Backend = { ...backend, fused: { ...backend.fused, attention: undefined } };

const wave = (n: number, seed: number) =>
  Float32Array.from({ length: n }, (_, i) => Math.sin(0.37 * i + seed));

/** Output and input gradients of Σ y·w for y = multiHeadAttention(q, k, v) on `on`. */
const run = (
  on: sg.Backend,
  shape: [number, number, number],
  options: Omit<sg.MultiHeadAttentionOptions, "keyMask" | "dropoutMultiplier">,
  masks: { keyMask?: Float32Array; drop?: Float32Array },
) =>
  sg.withBackend(on, () =>
    sg.scope(() => {
      const [b, t] = shape;
      const [q, k, v] = [1, 2, 3].map((s) => sg.tensor(wave(b * t * shape[2], s), shape));
      const w = sg.tensor(wave(b * t * shape[2], 9), shape);
      const keyMask = masks.keyMask ? sg.tensor(masks.keyMask, [b, t]) : undefined;
      const dropoutMultiplier = masks.drop ? sg.tensor(masks.drop, [b, options.nHead, t, t]) : undefined;
      const f = ({ q, k, v }: { q: sg.Tensor; k: sg.Tensor; v: sg.Tensor }) =>
        sg.sum(
          sg.mul(
            sg.multiHeadAttention(q, k, v, {
              ...options,
              ...(keyMask ? { keyMask } : {}),
              ...(dropoutMultiplier ? { dropoutMultiplier } : {}),
            }),
            w,
          ),
        );
      const [y, grads] = sg.valueAndGrad(f)({ q: q!, k: k!, v: v! });
      return [y.item(), ...[grads.q, grads.k, grads.v].map((g) => Array.from(g.data()))] as const;
    }),
  );

it("matches the decomposition: values and gradients, causal and padded, with dropout, odd T", () => {
  const spy = vi.spyOn(backend.fused!.attention!, "forward");
  fc.assert(
    fc.property(
      fc.record({
        b: fc.integer({ min: 1, max: 3 }),
        t: fc.constantFrom(1, 5, 17, 64),
        nHead: fc.constantFrom(1, 4),
        d: fc.constantFrom(4, 8, 12, 32),
        causal: fc.boolean(),
        padded: fc.boolean(),
        dropout: fc.boolean(),
      }),
      ({ b, t, nHead, d, causal, padded, dropout }) => {
        const keyMask = padded
          ? Float32Array.from({ length: b * t }, (_, i) => (i % t > (i % 3) + t / 2 ? sg.MASK_VALUE : 0))
          : undefined;
        const drop = dropout
          ? Float32Array.from({ length: b * nHead * t * t }, (_, i) => ((i * 13) % 10 < 2 ? 0 : 1.25))
          : undefined;
        const shape: [number, number, number] = [b, t, nHead * d];
        const fusedRun = run(backend, shape, { nHead, causal }, { keyMask, drop });
        const reference = run(decomposed, shape, { nHead, causal }, { keyMask, drop });
        expect(fusedRun[0]).toBeCloseTo(reference[0], 3);
        for (let i = 1; i < 4; i++) {
          const [got, want] = [fusedRun[i] as number[], reference[i] as number[]];
          got.forEach((g, j) => {
            expect(Math.abs(g - want[j]!)).toBeLessThanOrEqual(1e-5 + 1e-4 * Math.abs(want[j]!));
          });
        }
      },
    ),
    { numRuns: 40 },
  );
  expect(spy).toHaveBeenCalled();
});

it("leaves the live-buffer count where it was", () => {
  const before = backend.liveBuffers();
  run(backend, [2, 33, 32], { nHead: 4, causal: true }, { keyMask: new Float32Array(66) });
  expect(backend.liveBuffers()).toBe(before);
});
