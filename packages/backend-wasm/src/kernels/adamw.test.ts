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

/** torch.optim.AdamW's update, transcribed in float64. */
function adamwRef(
  p: Float64Array,
  g: Float64Array,
  m: Float64Array,
  v: Float64Array,
  h: {
    lr: number;
    beta1: number;
    beta2: number;
    eps: number;
    weightDecay: number;
    step: number;
    gradScale: number;
  },
) {
  const bc1 = 1 - h.beta1 ** h.step;
  const bc2 = 1 - h.beta2 ** h.step;
  for (let i = 0; i < p.length; i++) {
    const gi = g[i]! * h.gradScale;
    p[i]! *= 1 - h.lr * h.weightDecay;
    m[i] = h.beta1 * m[i]! + (1 - h.beta1) * gi;
    v[i] = h.beta2 * v[i]! + (1 - h.beta2) * gi * gi;
    const denom = Math.sqrt(v[i]!) / Math.sqrt(bc2) + h.eps;
    p[i]! -= (h.lr / bc1) * (m[i]! / denom);
  }
}

describe.each(runtimeConfigs)("adamw on $name", ({ options }) => {
  const runtime = useRuntime(options);

  it("three steps match torch.optim.AdamW's update rule", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 70 }),
        fc.integer(),
        fc.constantFrom(0, 0.01, 0.1),
        fc.constantFrom(1, 0.5),
        (n, seed, weightDecay, gradScale) => {
          const rt = runtime();
          const hyper = { lr: 1e-2, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay, gradScale };
          const p = toF32(randomFloats(seed, n));
          const m = new Float64Array(n);
          const v = new Float64Array(n);
          const [pp, pg, pm, pv] = [upload(rt, p), rt.alloc(n * 4), upload(rt, m), upload(rt, v)];
          for (let step = 1; step <= 3; step++) {
            const g = toF32(randomFloats(seed + step, n));
            rt.f32(pg, n).set(g);
            adamwRef(p, g, m, v, { ...hyper, step });
            rt.adamw({ param: pp, grad: pg, m: pm, v: pv, n, step, ...hyper });
          }
          expectClose(download(rt, pp, n), p, 1e-6, 1e-5);
          expectClose(download(rt, pm, n), m, 1e-6, 1e-5);
          expectClose(download(rt, pv, n), v, 1e-7, 1e-5);
          for (const ptr of [pp, pg, pm, pv]) rt.free(ptr);
        },
      ),
      { numRuns: 60 },
    );
    expect(runtime().liveAllocations()).toBe(0);
  });

  it("into fresh outputs: leaves its inputs untouched, writes the update or the next parameter", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 70 }),
        fc.integer(),
        fc.integer({ min: 1, max: 1000 }),
        fc.boolean(),
        (n, seed, step, writeUpdate) => {
          const rt = runtime();
          const hyper = { lr: 3e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1, gradScale: 0.5 };
          const p0 = toF32(randomFloats(seed, n));
          const g = toF32(randomFloats(seed + 1, n));
          const m0 = toF32(randomFloats(seed + 2, n, -0.1, 0.1));
          const v0 = toF32(randomFloats(seed + 3, n, 0, 0.01));
          const inputs = [p0, g, m0, v0].map((x) => upload(rt, x));
          const [pp, pg, pm, pv] = inputs;
          const [paramOut, mOut, vOut] = [0, 1, 2].map(() => rt.alloc(n * 4));
          rt.adamw({
            param: pp!,
            grad: pg!,
            m: pm!,
            v: pv!,
            n,
            step,
            ...hyper,
            paramOut,
            mOut,
            vOut,
            writeUpdate,
          });
          [p0, g, m0, v0].forEach((x, k) => {
            expect(download(rt, inputs[k]!, n)).toEqual(Array.from(x));
          });
          const [p, m, v] = [Float64Array.from(p0), Float64Array.from(m0), Float64Array.from(v0)];
          adamwRef(p, g, m, v, { ...hyper, step });
          const want = writeUpdate ? p.map((x, i) => x - p0[i]!) : p;
          // the update is ~lr: compare it at the scale of a step, not of the parameter
          expectClose(download(rt, paramOut!, n), want, writeUpdate ? 1e-8 : 1e-6, 1e-5);
          expectClose(download(rt, mOut!, n), m, 1e-7, 1e-5);
          expectClose(download(rt, vOut!, n), v, 1e-9, 1e-5);
          for (const ptr of [...inputs, paramOut!, mOut!, vOut!]) rt.free(ptr);
        },
      ),
      { numRuns: 60 },
    );
    expect(runtime().liveAllocations()).toBe(0);
  });

  it("asks for a 1-based step", () => {
    const rt = runtime();
    const p = rt.alloc(4);
    expect(() => rt.adamw({ param: p, grad: p, m: p, v: p, n: 1, lr: 1, step: 0 })).toThrow(
      /step must be an integer >= 1/,
    );
    rt.free(p);
  });
});
