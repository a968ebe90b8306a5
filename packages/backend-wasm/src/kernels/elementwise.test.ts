import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  download,
  expectClose,
  randomFloats,
  runtimeConfigs,
  toF32,
  upload,
  useRuntime,
} from "../test-utils/runtimes.js";
import type { BinaryOp } from "./elementwise.js";

const ops: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
};
const opArb = fc.constantFrom<BinaryOp>("add", "sub", "mul", "div");
// Operands in [0.5, 2) keep division well conditioned.
const values = (seed: number, n: number) => toF32(randomFloats(seed, n, 0.5, 2));

describe.each(runtimeConfigs)("elementwise on $name", ({ options }) => {
  const runtime = useRuntime(options);

  it("binary, binaryScalar (both orders) and binaryRows match plain arithmetic", () => {
    fc.assert(
      fc.property(
        opArb,
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 23 }),
        fc.integer(),
        (op, rows, cols, seed) => {
          const rt = runtime();
          const n = rows * cols;
          const a = values(seed, n);
          const b = values(seed + 1, n);
          const row = values(seed + 2, cols);
          const s = Math.fround(1.25);
          const [pa, pb, prow, pout] = [upload(rt, a), upload(rt, b), upload(rt, row), rt.alloc(n * 4)];
          const f = ops[op];
          rt.binary({ op, a: pa, b: pb, out: pout, n });
          expectClose(
            download(rt, pout, n),
            a.map((v, i) => f(v, b[i]!)),
            0,
            1e-6,
          );
          rt.binaryScalar({ op, a: pa, scalar: s, out: pout, n });
          expectClose(
            download(rt, pout, n),
            a.map((v) => f(v, s)),
            0,
            1e-6,
          );
          rt.binaryScalar({ op, a: pa, scalar: s, out: pout, n, scalarFirst: true });
          expectClose(
            download(rt, pout, n),
            a.map((v) => f(s, v)),
            0,
            1e-6,
          );
          rt.binaryRows({ op, a: pa, b: prow, out: pa, rows, cols });
          expectClose(
            download(rt, pa, n),
            a.map((v, i) => f(v, row[i % cols]!)),
            0,
            1e-6,
          );
          for (const p of [pa, pb, prow, pout]) rt.free(p);
        },
      ),
      { numRuns: 80 },
    );
  });

  it("sumLastAxis matches float64 sums", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 3000 }),
        fc.integer(),
        (rows, cols, seed) => {
          const rt = runtime();
          const x = toF32(randomFloats(seed, rows * cols));
          const [px, pout] = [upload(rt, x), rt.alloc(rows * 4)];
          rt.sumLastAxis({ x: px, out: pout, rows, cols });
          const want = Array.from({ length: rows }, (_, r) =>
            x.subarray(r * cols, (r + 1) * cols).reduce((s, v) => s + v, 0),
          );
          expectClose(download(rt, pout, rows), want, 1e-6 * Math.sqrt(cols) * 4);
          rt.free(px);
          rt.free(pout);
        },
      ),
      { numRuns: 40 },
    );
    expect(runtime().liveAllocations()).toBe(0);
  });
});
