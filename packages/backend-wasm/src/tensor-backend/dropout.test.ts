/**
 * Dropout on the wasm backend makes its mask in wasm memory (`Backend.dropoutMultiplier`); the GPU.js
 * cpu backend has no such hook and uploads the host's mask. Same key, same numbers: outputs and
 * gradients must agree bit for bit.
 */
import * as sg from "@scratchgrad/tensor";
import fc from "fast-check";
import { afterAll, describe, expect, it, vi } from "vitest";
import { randomFloats } from "../test-utils/runtimes.js";
import { createWasmBackend } from "./wasm-backend.js";

const cpu = sg.gpujsBackend("cpu");
// forceParallel: every mask is split into chunks over both threads, however small.
const split = await createWasmBackend({ threads: 2, forceParallel: true, initialMemoryMiB: 16 });
const plain = await createWasmBackend({ threads: 2, initialMemoryMiB: 16 });
afterAll(async () => {
  await split.close();
  await plain.close();
});

const bits = (t: sg.Tensor): Uint32Array => new Uint32Array((t.data() as Float32Array).buffer);

/** dropout(key, x, p) and its gradient on `backend`, as raw float32 bits. */
const dropoutOn = (
  backend: sg.Backend,
  key: sg.random.Key,
  shape: number[],
  values: Float64Array,
  p: number,
) =>
  sg.withBackend(backend, () =>
    sg.scope(() => {
      const x = sg.tensor(Float32Array.from(values), shape);
      const y = sg.dropout(key, x, p);
      const g = sg.grad((t: sg.Tensor) => sg.sum(sg.mul(sg.dropout(key, t, p), y)))(x);
      return { y: bits(y), g: bits(g) };
    }),
  );

const keyArb = fc.oneof(
  fc.nat().map((seed) => sg.random.key(seed)),
  fc.tuple(fc.nat(), fc.nat(5)).map(([seed, i]) => sg.random.split(sg.random.key(seed), 6)[i]!),
  fc.tuple(fc.nat(), fc.nat()).map(([seed, step]) => sg.random.foldIn(sg.random.key(seed), step)),
);

describe("dropout on the wasm backend", () => {
  it("equals the GPU.js cpu backend bit for bit, forward and backward", () => {
    fc.assert(
      fc.property(
        keyArb,
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 0, maxLength: 3 }),
        fc.constantFrom(1e-5, 0.1, 0.5, 0.9),
        fc.integer(),
        (key, shape, p, seed) => {
          const values = randomFloats(
            seed,
            shape.reduce((a, b) => a * b, 1),
          );
          const want = dropoutOn(cpu, key, shape, values, p);
          expect(dropoutOn(split, key, shape, values, p)).toEqual(want);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("a [8, 128, 97] activation (both threads, unforced) equals the cpu backend and frees its mask", () => {
    const key = sg.random.foldIn(sg.random.split(sg.random.key(2024))[1]!, 17);
    const shape = [8, 128, 97];
    const values = randomFloats(5, 8 * 128 * 97);
    const before = plain.liveBuffers();
    const hook = vi.spyOn(plain, "dropoutMultiplier");
    const got = dropoutOn(plain, key, shape, values, 0.1);
    expect(hook).toHaveBeenCalled();
    hook.mockRestore();
    expect(plain.liveBuffers()).toBe(before);
    expect(got).toEqual(dropoutOn(cpu, key, shape, values, 0.1));
  });

  it("rejects an invalid p with the host path's error", () => {
    sg.withBackend(plain, () => {
      const x = sg.ones([4]);
      expect(() => sg.dropout(sg.random.key(0), x, -0.1)).toThrow(/p must be in \[0, 1\)/);
      expect(() => sg.dropout(sg.random.key(0), x, Number.NaN)).toThrow(/p must be in \[0, 1\)/);
      x.dispose();
    });
  });
});
