import { scope, tensor } from "@scratchgrad/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chain } from "../combine.js";
import { sgd } from "../optimizers.js";
import { clipByGlobalNorm, globalNorm, lastGlobalNorm } from "./clip.js";

// Trees of 1–3 leaves of float32 values, some large enough to need clipping, some not.
const leafArb = fc.array(fc.float({ min: -50, max: 50, noNaN: true, noDefaultInfinity: true }), {
  minLength: 1,
  maxLength: 6,
});
const treeArb = fc.array(leafArb, { minLength: 1, maxLength: 3 });
const norm64 = (leaves: number[][]): number => Math.sqrt(leaves.flat().reduce((s, x) => s + x * x, 0));

describe("clipByGlobalNorm", () => {
  it("clips the global norm to at most maxNorm, keeps the direction, and records the pre-clip norm", () => {
    fc.assert(
      fc.property(treeArb, fc.double({ min: 0.01, max: 100, noNaN: true }), (leaves, maxNorm) =>
        scope(() => {
          const values = leaves.map((l) => Array.from(Float32Array.from(l)));
          const grads = values.map((l) => tensor(l));
          const clip = clipByGlobalNorm(maxNorm);
          const [clipped, state] = clip.update(grads, clip.init(grads));
          const before = norm64(values);
          const out = clipped.map((t) => Array.from(t.data()));
          const after = norm64(out);
          expect(state.globalNorm.item()).toBeCloseTo(
            before,
            Math.max(0, 4 - Math.ceil(Math.log10(before + 1))),
          );
          expect(after).toBeLessThanOrEqual(maxNorm * (1 + 1e-5));
          // PyTorch's coefficient: min(1, maxNorm / (norm + 1e-6)), the same for every element.
          const coefficient = Math.min(1, maxNorm / (before + 1e-6));
          out.flat().forEach((x, i) => {
            const g = values.flat()[i]!;
            expect(Math.abs(x - coefficient * g)).toBeLessThanOrEqual(1e-5 * Math.abs(g) + 1e-30);
            if (g !== 0 && x !== 0) expect(Math.sign(x)).toBe(Math.sign(g));
          });
          if (before <= maxNorm * 0.999) expect(out).toEqual(values); // small updates pass unchanged
        }),
      ),
      { numRuns: 60 },
    );
  });

  it("exposes the pre-clip norm through a chain with lastGlobalNorm", () => {
    const opt = chain(clipByGlobalNorm(1), sgd({ learningRate: 1 }));
    const p = tensor([0, 0]);
    expect(lastGlobalNorm(opt.init(p))?.item()).toBe(0);
    const [u, state] = opt.update(tensor([3, 4]), opt.init(p), p);
    expect(lastGlobalNorm(state)?.item()).toBeCloseTo(5, 5);
    expect(u.toArray()).toEqual([expect.closeTo(-0.6, 6), expect.closeTo(-0.8, 6)]);
    expect(lastGlobalNorm(sgd({ learningRate: 1 }).init(p))).toBeUndefined();
  });

  it("globalNorm is √Σx² over every leaf", () => {
    expect(globalNorm({ a: tensor([3]), b: [tensor([[4]])] }).item()).toBe(5);
    expect(() => clipByGlobalNorm(0)).toThrow(/maxNorm must be > 0/);
  });
});
