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
import { collapseDims } from "./strided.js";

/** A random view: shape, strides (permuted, sliced with steps, broadcast, possibly flipped) and buffer size. */
const viewArb = fc
  .array(fc.integer({ min: 1, max: 5 }), { minLength: 0, maxLength: 5 })
  .chain((shape) =>
    fc.record({
      shape: fc.constant(shape),
      perm: fc.shuffledSubarray(
        shape.map((_, i) => i),
        { minLength: shape.length, maxLength: shape.length },
      ),
      steps: fc.array(fc.constantFrom(1, 2), { minLength: shape.length, maxLength: shape.length }),
      broadcast: fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }),
      flip: fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }),
      seed: fc.integer(),
    }),
  )
  .map(({ shape, perm, steps, broadcast, flip, seed }) => {
    // Lay the source out contiguously in `perm` order with gaps (steps), then read it in `shape` order.
    const strides = new Array<number>(shape.length).fill(0);
    let size = 1;
    for (let i = perm.length - 1; i >= 0; i--) {
      const d = perm[i]!;
      strides[d] = size * steps[d]!;
      size *= shape[d]! * steps[d]!;
    }
    let origin = 0;
    shape.forEach((n, d) => {
      if (broadcast[d]) strides[d] = 0;
      else if (flip[d]) {
        origin += strides[d]! * (n - 1);
        strides[d] = -strides[d]!;
      }
    });
    return { shape, strides, origin, size, seed };
  });

function gather(values: ArrayLike<number>, origin: number, shape: number[], strides: number[]): number[] {
  const out: number[] = [];
  const walk = (d: number, off: number) => {
    if (d === shape.length) out.push(values[off]!);
    else for (let i = 0; i < shape[d]!; i++) walk(d + 1, off + i * strides[d]!);
  };
  walk(0, origin);
  return out;
}

describe("collapseDims", () => {
  it("merges a contiguous view into one row and keeps permuted ones apart", () => {
    expect(collapseDims([2, 3, 4], [[12, 4, 1]]).shape).toEqual([1, 1, 1, 1, 1, 24]);
    expect(collapseDims([2, 3, 4], [[4, 8, 1]]).shape).toEqual([1, 1, 1, 2, 3, 4]);
  });
});

describe.each(runtimeConfigs)("strided kernels on $name", ({ options }) => {
  const runtime = useRuntime(options);

  it("stridedCopy gathers permuted, stepped, broadcast and flipped views", () => {
    fc.assert(
      fc.property(viewArb, ({ shape, strides, origin, size, seed }) => {
        const rt = runtime();
        const src = toF32(randomFloats(seed, size));
        const n = shape.reduce((a, b) => a * b, 1);
        const [ps, pd] = [upload(rt, src), rt.alloc(n * 4)];
        rt.stridedCopy({ src: ps + origin * 4, dst: pd, shape, strides });
        expect(download(rt, pd, n)).toEqual(gather(src, origin, shape, strides));
        rt.free(ps);
        rt.free(pd);
      }),
      { numRuns: 150 },
    );
  });

  it("stridedCopy writes a view into a strided destination box, or zeros there, and nothing else", () => {
    fc.assert(
      fc.property(
        viewArb,
        fc.array(fc.nat(2), { minLength: 5, maxLength: 5 }),
        fc.boolean(),
        (view, margins, zeros) => {
          const rt = runtime();
          const { shape, strides, origin, size, seed } = view;
          // The destination: `shape` placed at an offset inside a larger row-major array (a pad's interior).
          const outer = shape.map((d, i) => d + margins[i]!);
          const dstStrides = outer.map((_, d) => outer.slice(d + 1).reduce((x, y) => x * y, 1));
          const offset = shape.reduce((acc, _, d) => acc + Math.min(1, margins[d]!) * dstStrides[d]!, 0);
          const total = outer.reduce((a, b) => a * b, 1);
          const src = toF32(randomFloats(seed, size));
          const [ps, pd] = [upload(rt, src), upload(rt, new Array(total).fill(7))];
          rt.stridedCopy({
            src: zeros ? 0 : ps + origin * 4,
            dst: pd + offset * 4,
            shape,
            strides,
            dstStrides,
          });
          const want = new Array<number>(total).fill(7);
          const values = zeros ? undefined : gather(src, origin, shape, strides);
          let k = 0;
          const walk = (d: number, off: number) => {
            if (d === shape.length) want[off] = values ? values[k++]! : 0;
            else for (let i = 0; i < shape[d]!; i++) walk(d + 1, off + i * dstStrides[d]!);
          };
          walk(0, offset);
          expect(download(rt, pd, total)).toEqual(want);
          rt.free(ps);
          rt.free(pd);
        },
      ),
      { numRuns: 150 },
    );
    expect(runtime().liveAllocations()).toBe(0);
  });

  it("binaryStrided applies the op over two independent views", () => {
    fc.assert(
      fc.property(
        viewArb,
        fc.integer(),
        fc.constantFrom<BinaryOp>("add", "sub", "mul", "div"),
        (view, seed, op) => {
          const rt = runtime();
          const { shape, strides, origin, size } = view;
          const n = shape.reduce((a, b) => a * b, 1);
          // b: the same shape read contiguously, or broadcast along the last axis when there is one.
          const bStrides = shape.map((_, d) => shape.slice(d + 1).reduce((x, y) => x * y, 1));
          if (shape.length > 0 && seed % 2 === 0) bStrides[shape.length - 1] = 0;
          const a = toF32(randomFloats(view.seed, size, 0.5, 2));
          const b = toF32(randomFloats(seed, n, 0.5, 2));
          const [pa, pb, po] = [upload(rt, a), upload(rt, b), rt.alloc(n * 4)];
          rt.binaryStrided({ op, a: pa + origin * 4, aStrides: strides, b: pb, bStrides, out: po, shape });
          const av = gather(a, origin, shape, strides);
          const bv = gather(b, 0, shape, bStrides);
          const f = {
            add: (x: number, y: number) => x + y,
            sub: (x: number, y: number) => x - y,
            mul: (x: number, y: number) => x * y,
            div: (x: number, y: number) => x / y,
          }[op];
          expectClose(
            download(rt, po, n),
            av.map((x, i) => f(x, bv[i]!)),
            0,
            1e-6,
          );
          for (const p of [pa, pb, po]) rt.free(p);
        },
      ),
      { numRuns: 150 },
    );
    expect(runtime().liveAllocations()).toBe(0);
  });

  it("rejects views that reach outside the heap", () => {
    const rt = runtime();
    const p = rt.alloc(16);
    expect(() => rt.stridedCopy({ src: p, dst: p, shape: [4], strides: [1e8] })).toThrow(
      /stridedCopy: src spans/,
    );
    rt.free(p);
  });
});
