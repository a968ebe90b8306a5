import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { constant, constantWarmup, cosineWarmupDecay, linearWarmupDecay } from "./schedules.js";

describe("linearWarmupDecay (HF get_linear_schedule_with_warmup)", () => {
  const lr = linearWarmupDecay({ peak: 1e-3, warmupSteps: 10, totalSteps: 110 });
  it.each([
    [0, 0], // HF's first step has rate 0 when there is warmup
    [1, 1e-4],
    [5, 5e-4],
    [9, 9e-4],
    [10, 1e-3],
    [35, 7.5e-4],
    [60, 5e-4],
    [109, 1e-5],
    [110, 0],
    [500, 0],
  ])("step %i → %f", (step, expected) => {
    expect(lr(step)).toBeCloseTo(expected, 15);
  });

  it("without warmup starts at the peak; with totalSteps = warmupSteps decays to 0 at once", () => {
    const noWarmup = linearWarmupDecay({ peak: 2, warmupSteps: 0, totalSteps: 4 });
    expect([0, 1, 2, 3, 4].map(noWarmup)).toEqual([2, 1.5, 1, 0.5, 0]);
    const instant = linearWarmupDecay({ peak: 1, warmupSteps: 2, totalSteps: 2 });
    expect([0, 1, 2, 3].map(instant)).toEqual([0, 0.5, 0, 0]);
  });

  it("rises during warmup, falls after, stays within [0, peak]", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 700 }),
        (w, extra, step) => {
          const s = linearWarmupDecay({ peak: 3, warmupSteps: w, totalSteps: w + extra });
          expect(s(step)).toBeGreaterThanOrEqual(0);
          expect(s(step)).toBeLessThanOrEqual(3);
          if (step < w) expect(s(step + 1)).toBeGreaterThan(s(step));
          else expect(s(step + 1)).toBeLessThanOrEqual(s(step));
        },
      ),
    );
  });

  it("rejects totalSteps < warmupSteps", () => {
    expect(() => linearWarmupDecay({ peak: 1, warmupSteps: 10, totalSteps: 5 })).toThrow(
      /totalSteps \(5\) must be ≥ warmupSteps \(10\)/,
    );
  });
});

describe("cosineWarmupDecay (HF get_cosine_schedule_with_warmup)", () => {
  const lr = cosineWarmupDecay({ peak: 1, warmupSteps: 10, totalSteps: 110 });
  it.each([
    [0, 0],
    [5, 0.5],
    [10, 1],
    [35, 0.5 * (1 + Math.cos(Math.PI / 4))],
    [60, 0.5],
    [85, 0.5 * (1 + Math.cos((3 * Math.PI) / 4))],
    [110, 0],
    [200, 0], // clamped: HF's cosine would rise again here
  ])("step %i → %f", (step, expected) => {
    expect(lr(step)).toBeCloseTo(expected, 12);
  });

  it("decays to minLearningRate (HF's min-lr variant, nanoGPT's floor)", () => {
    const s = cosineWarmupDecay({ peak: 6e-4, warmupSteps: 0, totalSteps: 100, minLearningRate: 6e-5 });
    expect(s(0)).toBeCloseTo(6e-4, 15);
    expect(s(50)).toBeCloseTo(3.3e-4, 15);
    expect(s(100)).toBeCloseTo(6e-5, 15);
    expect(s(1000)).toBeCloseTo(6e-5, 15);
  });
});

it("constant is constant", () => {
  expect([0, 1, 1e6].map(constant(0.25))).toEqual([0.25, 0.25, 0.25]);
});

describe("constantWarmup (HF get_constant_schedule_with_warmup)", () => {
  it("rises linearly over the warmup from 0, then holds the peak", () => {
    const lr = constantWarmup({ peak: 1e-3, warmupSteps: 4 });
    const expected = [0, 2.5e-4, 5e-4, 7.5e-4, 1e-3, 1e-3, 1e-3];
    for (const [i, step] of [0, 1, 2, 3, 4, 5, 10_000].entries())
      expect(lr(step)).toBeCloseTo(expected[i]!, 15);
    expect([0, 1].map(constantWarmup({ peak: 2, warmupSteps: 0 }))).toEqual([2, 2]);
    expect(() => constantWarmup({ peak: 1, warmupSteps: -1 })).toThrow(/warmupSteps must be ≥ 0/);
  });
});
