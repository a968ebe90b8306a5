import { gpt2, gpt2Config } from "@scratchgrad/nn";
import { gpujsBackend, random, useBackend } from "@scratchgrad/tensor";
import { beforeAll, describe, expect, it } from "vitest";
import { learningRateSchedule, makeOptimizer } from "./step.js";
import { testTrainingArgs } from "./test-training-args.js";

const args = testTrainingArgs({ weightDecay: 0.01, warmupRatio: 0.1 });

describe("--lr-scheduler-type: HF's get_scheduler for a run of 100 steps with --warmup-ratio 0.1", () => {
  // HF's lambdas: warmup step/10; linear (100 − s)/90; cosine ½(1 + cos(π (s − 10)/90)); constant 1
  it.each([
    ["linear", [0, 5, 10, 55, 99, 100], [0, 5e-4, 1e-3, 5e-4, 1e-3 / 90, 0]],
    ["cosine", [0, 5, 10, 55, 100], [0, 5e-4, 1e-3, 5e-4, 0]],
    ["constant", [0, 5, 10, 55, 100], [1e-3, 1e-3, 1e-3, 1e-3, 1e-3]],
    ["constant_with_warmup", [0, 5, 10, 55, 100], [0, 5e-4, 1e-3, 1e-3, 1e-3]],
  ] as const)("%s", (type, steps, expected) => {
    const lr = learningRateSchedule({ ...args, lrSchedulerType: type }, 100);
    for (const [i, step] of steps.entries()) expect(lr(step)).toBeCloseTo(expected[i]!, 12);
  });

  it("cosine at a quarter of the decay is peak·½(1 + cos(π/4)); Muon's rate follows the same shape", () => {
    const cosine = { ...args, lrSchedulerType: "cosine" };
    expect(learningRateSchedule(cosine, 100)(32.5)).toBeCloseTo(1e-3 * 0.5 * (1 + Math.SQRT1_2), 12);
    expect(learningRateSchedule(cosine, 100, 0.02)(32.5)).toBeCloseTo(0.02 * 0.5 * (1 + Math.SQRT1_2), 12);
    expect(() => learningRateSchedule({ ...args, lrSchedulerType: "polynomial" }, 100)).toThrow(
      /unknown --lr-scheduler-type polynomial/,
    );
  });
});

describe("--optim", () => {
  beforeAll(() => useBackend(gpujsBackend("cpu")));
  const config = gpt2Config("gpt2-tiny", {
    vocab_size: 16,
    n_layer: 1,
    n_embd: 8,
    n_head: 2,
    n_positions: 8,
  });
  const params = gpt2(config).init(random.key(0));

  it("muon gives the hidden matrices Muon and the rest AdamW (with --adam-*), behind the clipping", () => {
    const opt = makeOptimizer(params, { ...args, optim: "muon", adamBeta2: 0.95 }, 10);
    const [clip, inner] = opt.init(params) as [unknown, { inner: Record<string, unknown> }];
    expect(clip).toBeDefined();
    expect(Object.keys(inner.inner).sort()).toEqual(["adamw", "muon"]);
    const h = JSON.stringify(opt.hyperparameters);
    expect(h).toContain('"momentum":0.95');
    expect(h).toContain('"b2":0.95');
    const plain = makeOptimizer(params, args, 10);
    expect(JSON.stringify(plain.hyperparameters)).not.toContain("muon");
  });
});
