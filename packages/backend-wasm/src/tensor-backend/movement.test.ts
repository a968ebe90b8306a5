/**
 * Data movement on the wasm backend (permute, slice, pad, broadcastTo and broadcast arithmetic) runs
 * on the strided wasm kernels split over threads, or on the JS loops when a view does not merge to
 * six dimensions. Both must equal the GPU.js cpu backend exactly: these are copies and single f32 ops.
 */
import * as sg from "@scratchgrad/tensor";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { randomFloats } from "../test-utils/runtimes.js";
import { createWasmBackend } from "./wasm-backend.js";

const cpu = sg.gpujsBackend("cpu");
// forceParallel: every copy is split into chunks over both threads, however small.
const wasm = await createWasmBackend({ threads: 2, forceParallel: true, initialMemoryMiB: 16 });
afterAll(() => wasm.close());

/** Shapes up to rank 8 with dims of 2-3, so high ranks do not merge to six (the JS path). */
const shapeArb = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: 8 });

const run = (backend: sg.Backend, shape: number[], seed: number, f: (x: sg.Tensor) => sg.Tensor) =>
  sg.withBackend(backend, () =>
    sg.scope(() => {
      const n = shape.reduce((a, b) => a * b, 1);
      const x = sg.tensor(Float32Array.from(randomFloats(seed, n)), shape);
      return Array.from(f(x).data());
    }),
  );

const sameOnBoth = (shape: number[], seed: number, f: (x: sg.Tensor) => sg.Tensor): void => {
  expect(run(wasm, shape, seed, f)).toEqual(run(cpu, shape, seed, f));
};

describe("movement primitives on the wasm backend", () => {
  it("permute equals the cpu backend", () => {
    fc.assert(
      fc.property(
        shapeArb.chain((s) =>
          fc.tuple(
            fc.constant(s),
            fc.shuffledSubarray(
              s.map((_, i) => i),
              { minLength: s.length, maxLength: s.length },
            ),
          ),
        ),
        fc.integer(),
        ([shape, axes], seed) => sameOnBoth(shape, seed, (x) => sg.permute(x, axes)),
      ),
      { numRuns: 60 },
    );
  });

  it("slice and pad equal the cpu backend", () => {
    fc.assert(
      fc.property(
        shapeArb.chain((s) =>
          fc.tuple(
            fc.constant(s),
            fc.tuple(...s.map((d) => fc.tuple(fc.nat(d), fc.nat(d)))),
            fc.array(fc.tuple(fc.nat(2), fc.nat(2)), { minLength: s.length, maxLength: s.length }),
          ),
        ),
        fc.integer(),
        ([shape, ranges, widths], seed) => {
          const starts = ranges.map(([a, b]) => Math.min(a, b));
          const ends = ranges.map(([a, b]) => Math.max(a, b));
          sameOnBoth(shape, seed, (x) => sg.slice(x, starts, ends));
          sameOnBoth(shape, seed, (x) =>
            sg.pad(
              x,
              widths.map(([b]) => b),
              widths.map(([, a]) => a),
            ),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it("broadcastTo and broadcast add equal the cpu backend", () => {
    fc.assert(
      fc.property(
        shapeArb.chain((s) =>
          fc.tuple(fc.constant(s), fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length })),
        ),
        fc.integer(),
        ([shape, ones], seed) => {
          // the input has size 1 where `ones` says, and is broadcast back to `shape`
          const small = shape.map((d, i) => (ones[i] ? 1 : d));
          sameOnBoth(small, seed, (x) => sg.broadcastTo(x, shape));
          const big = Float32Array.from(
            randomFloats(
              seed + 1,
              shape.reduce((a, b) => a * b, 1),
            ),
          );
          sameOnBoth(small, seed, (x) => sg.add(sg.tensor(big, shape), x));
          sameOnBoth(small, seed, (x) => sg.sub(x, sg.tensor(big, shape)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("views that do not merge to six dimensions (the JS loops) equal the cpu backend", () => {
    const seven = [2, 3, 2, 3, 2, 3, 2];
    sameOnBoth(seven, 1, (x) => sg.permute(x, [6, 5, 4, 3, 2, 1, 0]));
    sameOnBoth(seven, 2, (x) =>
      sg.slice(
        x,
        seven.map(() => 1),
        seven,
      ),
    );
    sameOnBoth(seven, 3, (x) =>
      sg.pad(
        x,
        seven.map(() => 1),
        seven.map(() => 0),
      ),
    );
    const alternating = [2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2];
    const full = alternating.map(() => 2);
    sameOnBoth(alternating, 4, (x) => sg.broadcastTo(x, full));
    const big = Float32Array.from(randomFloats(5, 2 ** 13));
    sameOnBoth(alternating, 6, (x) => sg.mul(sg.tensor(big, full), x));
  });

  it("frees every buffer it made", () => {
    expect(wasm.liveBuffers()).toBe(0);
  });
});
