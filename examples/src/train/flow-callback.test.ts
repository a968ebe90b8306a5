/** HF's DefaultFlowCallback decisions for each `--eval-strategy` / `--save-strategy`. */
import { describe, expect, it } from "vitest";
import { flowCallback, type TrainerContext } from "./loop-events.js";
import type { TrainingArguments } from "./training-args.js";

/** The steps at which the flow asks to evaluate and to save, over a run of `totalSteps`. */
const decisions = (args: Partial<TrainingArguments>, totalSteps = 10, stepsPerEpoch = 4) => {
  const cb = flowCallback();
  const ctx = {
    args: { loggingSteps: 3, saveSteps: 500, loggingFirstStep: false, ...args },
    totalSteps,
    stepsPerEpoch,
  } as unknown as TrainerContext;
  const evaluate: number[] = [];
  const save: number[] = [];
  for (let step = 1; step <= totalSteps; step++) {
    const control = cb.onStepEnd!(ctx, { step, finite: true } as never) as {
      shouldEvaluate: boolean;
      shouldSave: boolean;
    };
    if (control.shouldEvaluate) evaluate.push(step);
    if (control.shouldSave) save.push(step);
  }
  return { evaluate, save };
};

describe("flowCallback: eval and save strategies", () => {
  it("eval: epoch by default, every --eval-steps (else --logging-steps), or only the last step", () => {
    expect(decisions({}).evaluate).toEqual([4, 8, 10]);
    expect(decisions({ evalStrategy: "epoch" }).evaluate).toEqual([4, 8, 10]);
    expect(decisions({ evalStrategy: "steps", evalSteps: 5 }).evaluate).toEqual([5, 10]);
    expect(decisions({ evalStrategy: "steps", evalSteps: 0 }).evaluate).toEqual([3, 6, 9, 10]);
    expect(decisions({ evalStrategy: "no", evalSteps: 2 }).evaluate).toEqual([10]);
    // --do-train without --do-eval: never, not even the last step
    expect(decisions({ doEval: false }).evaluate).toEqual([]);
    expect(decisions({ doEval: false, evalStrategy: "steps", evalSteps: 2 }).evaluate).toEqual([]);
    expect(decisions({ doEval: true, evalStrategy: "no" }).evaluate).toEqual([10]);
  });

  it("save: every --save-steps by default, each epoch, or never; never at the last step", () => {
    expect(decisions({ saveSteps: 3 }).save).toEqual([3, 6, 9]);
    expect(decisions({ saveStrategy: "steps", saveSteps: 5 }).save).toEqual([5]);
    expect(decisions({ saveStrategy: "steps", saveSteps: 0 }).save).toEqual([]);
    expect(decisions({ saveStrategy: "epoch", saveSteps: 3 }).save).toEqual([4, 8]);
    expect(decisions({ saveStrategy: "no", saveSteps: 1 }).save).toEqual([]);
  });
});
