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

function softmaxRef(x: Float64Array, rows: number, cols: number): Float64Array {
  const y = new Float64Array(x.length);
  for (let r = 0; r < rows; r++) {
    let m = -Infinity;
    for (let j = 0; j < cols; j++) m = Math.max(m, x[r * cols + j]!);
    let s = 0;
    for (let j = 0; j < cols; j++) s += Math.exp(x[r * cols + j]! - m);
    for (let j = 0; j < cols; j++) y[r * cols + j] = Math.exp(x[r * cols + j]! - m) / s;
  }
  return y;
}

const shape = fc.record({
  rows: fc.integer({ min: 1, max: 9 }),
  cols: fc.integer({ min: 1, max: 37 }),
  scale: fc.constantFrom(1, 10, 60),
  seed: fc.integer(),
});

describe.each(runtimeConfigs)("softmax on $name", ({ options }) => {
  const runtime = useRuntime(options);

  it("forward matches exp(x - max) / sum in float64", () => {
    fc.assert(
      fc.property(shape, ({ rows, cols, scale, seed }) => {
        const rt = runtime();
        const x = toF32(randomFloats(seed, rows * cols, -scale, scale));
        const px = upload(rt, x);
        const py = rt.alloc(rows * cols * 4);
        rt.softmaxRows({ x: px, y: py, rows, cols });
        expectClose(download(rt, py, rows * cols), softmaxRef(x, rows, cols), 1e-7, 2e-6);
        rt.free(px);
        rt.free(py);
      }),
      { numRuns: 100 },
    );
    expect(runtime().liveAllocations()).toBe(0);
  });

  it("backward matches y * (dy - sum(dy * y)), in place", () => {
    fc.assert(
      fc.property(shape, ({ rows, cols, seed }) => {
        const rt = runtime();
        const y = toF32(softmaxRef(randomFloats(seed, rows * cols, -3, 3), rows, cols));
        const dy = toF32(randomFloats(seed + 1, rows * cols));
        const want = new Float64Array(rows * cols);
        for (let r = 0; r < rows; r++) {
          let dot = 0;
          for (let j = 0; j < cols; j++) dot += y[r * cols + j]! * dy[r * cols + j]!;
          for (let j = 0; j < cols; j++) want[r * cols + j] = y[r * cols + j]! * (dy[r * cols + j]! - dot);
        }
        const py = upload(rt, y);
        const pdy = upload(rt, dy);
        rt.softmaxRowsBackward({ y: py, dy: pdy, dx: pdy, rows, cols });
        expectClose(download(rt, pdy, rows * cols), want, 1e-6, 1e-5);
        rt.free(py);
        rt.free(pdy);
      }),
      { numRuns: 100 },
    );
  });
});
