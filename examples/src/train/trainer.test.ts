import type { Blocks } from "@scratchgrad/datasets";
import { gpt2Config } from "@scratchgrad/nn";
import { gpujsBackend, random, treeLeaves, useBackend } from "@scratchgrad/tensor";
import { beforeAll, describe, expect, it } from "vitest";
import { lmTaskOf } from "../tasks/lm-task.js";
import { flowCallback, type TrainerCallback } from "./callbacks.js";
import { initialState } from "./state.js";
import { makeOptimizer } from "./step.js";
import { testTrainingArgs } from "./test-training-args.js";
import { type RunState, train } from "./trainer.js";
import type { TrainingData } from "./training-args.js";

const T = 8;
const blocks = (n: number, seed: number): Blocks => {
  const inputIds = Int32Array.from({ length: n * T }, (_, i) => (i * 7 + seed) % 16);
  return {
    blockSize: T,
    numBlocks: n,
    inputIds,
    attentionMask: new Uint8Array(n * T).fill(1),
    specialTokensMask: new Uint8Array(n * T),
    labels: inputIds,
  };
};
const data: TrainingData = {
  train: blocks(6, 1),
  validation: blocks(2, 3),
  validationWords: 10,
  validationTokens: 16,
};
const args = testTrainingArgs({
  numTrainEpochs: 2,
  learningRate: 1e-2,
  seed: 3,
  loggingSteps: 2,
  saveSteps: 4,
});
const task = lmTaskOf({
  kind: "gpt2",
  config: gpt2Config("gpt2-tiny", { vocab_size: 16, n_layer: 1, n_embd: 8, n_head: 2, n_positions: T }),
});

/** A callback that records every event: what a tracker (or a hub upload) would see. */
const recorder = (events: string[]): TrainerCallback => ({
  onTrainBegin: ({ state }) => void events.push(`begin@${state.global_step}`),
  onStepEnd: (_ctx, s) => void events.push(`step ${s.step}`),
  onLog: (_ctx, e) => void events.push(`log ${e.step}`),
  onEvaluate: (_ctx, r) => void events.push(`evaluate ${r.epoch}`),
  onSave: (_ctx, dir) => void events.push(`save ${dir.slice(dir.lastIndexOf("/") + 1)}`),
  onTrainEnd: (_ctx, end) => void events.push(`end ${end.reason}`),
});

const fresh = (): { run: RunState<unknown>; optimizer: ReturnType<typeof makeOptimizer> } => {
  const params = task.init(random.key(0));
  const optimizer = makeOptimizer(params, args, 6);
  const state = initialState({ totalSteps: 6, stepsPerEpoch: 3 }, args, "run");
  return { run: { params, optState: optimizer.init(params), state }, optimizer };
};

describe("the training loop", () => {
  beforeAll(() => useBackend(gpujsBackend("cpu")));

  it("calls HF's events in order; the flow callback decides log, evaluate and save", async () => {
    const events: string[] = [];
    const saved: number[] = [];
    const losses: number[] = [];
    const lossRecorder: TrainerCallback = { onStepEnd: (_ctx, s) => void losses.push(s.loss) };
    const { run, optimizer } = fresh();
    const outcome = await train(
      {
        task,
        optimizer,
        data,
        args,
        callbacks: [flowCallback(), recorder(events), lossRecorder],
        save: async (_dir, r) => void saved.push(r.state.global_step),
      },
      run,
    );
    expect(events).toEqual([
      "begin@0",
      "step 1",
      "step 2",
      "log 2",
      "step 3",
      "evaluate 1",
      "step 4",
      "log 4",
      "save checkpoint-4",
      "step 5",
      "step 6",
      "log 6",
      "evaluate 2",
      "end finished",
    ]);
    expect(saved).toEqual([4]);
    expect(outcome.reason).toBe("finished");
    // each epoch's training loss is the mean of its steps' losses (kept in the state)
    const logged = outcome.state.log_history.filter((e) => e.eval_loss !== undefined).map((e) => e.loss);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(logged[0]).toBeCloseTo(mean(losses.slice(0, 3)), 5);
    expect(logged[1]).toBeCloseTo(mean(losses.slice(3, 6)), 5);
  });

  it("--gradient-accumulation-steps 2 of batches of 1 steps as batches of 2 (no dropout: the same mean gradient)", async () => {
    const noDropout = lmTaskOf({
      kind: "gpt2",
      config: gpt2Config("gpt2-tiny", {
        ...{ vocab_size: 16, n_layer: 1, n_embd: 8, n_head: 2, n_positions: T },
        ...{ resid_pdrop: 0, embd_pdrop: 0, attn_pdrop: 0 },
      }),
    });
    const runWith = async (batch: number, accumulation: number) => {
      const a = { ...args, perDeviceTrainBatchSize: batch, gradientAccumulationSteps: accumulation };
      const params = noDropout.init(random.key(0));
      const optimizer = makeOptimizer(params, a, 6);
      const state = initialState({ totalSteps: 6, stepsPerEpoch: 3 }, a, "run");
      const logged: number[] = [];
      const outcome = await train(
        {
          task: noDropout,
          optimizer,
          data,
          args: a,
          callbacks: [flowCallback(), { onStepEnd: (_ctx, s) => void logged.push(s.loss) }],
          save: async () => undefined,
        },
        { params, optState: optimizer.init(params), state },
      );
      return { outcome, logged };
    };
    const plain = await runWith(2, 1);
    const accumulated = await runWith(1, 2);
    expect(accumulated.outcome.state.global_step).toBe(6);
    expect(accumulated.outcome.state.num_input_tokens_seen).toBe(plain.outcome.state.num_input_tokens_seen);
    for (const [i, loss] of plain.logged.entries()) expect(accumulated.logged[i]).toBeCloseTo(loss, 5);
    const flat = (p: unknown) => treeLeaves(p).flatMap((t) => Array.from(t.data()));
    const [x, y] = [flat(plain.outcome.params), flat(accumulated.outcome.params)];
    for (const [i, v] of x.entries()) expect(y[i]).toBeCloseTo(v, 4);
  });

  it("--logging-first-step logs step 1 too", async () => {
    const events: string[] = [];
    const { run, optimizer } = fresh();
    await train(
      {
        task,
        optimizer,
        data,
        args: { ...args, loggingFirstStep: true },
        callbacks: [flowCallback(), recorder(events)],
        save: async () => undefined,
      },
      run,
    );
    expect(events.filter((e) => e.startsWith("log"))).toEqual(["log 1", "log 2", "log 4", "log 6"]);
  });

  it("a callback's stop (Ctrl-C) saves after the step and ends the run there", async () => {
    const events: string[] = [];
    const { run, optimizer } = fresh();
    const stopAt2: TrainerCallback = {
      onStepEnd: (_ctx, s) => (s.step === 2 ? { shouldSave: true, stop: "interrupted" } : undefined),
    };
    const outcome = await train(
      { task, optimizer, data, args, callbacks: [stopAt2, recorder(events)], save: async () => undefined },
      run,
    );
    expect(events).toEqual(["begin@0", "step 1", "step 2", "save checkpoint-2", "end interrupted"]);
    expect([outcome.reason, outcome.checkpoint, outcome.state.global_step]).toEqual([
      "interrupted",
      "/nonexistent-never-written/checkpoint-2",
      2,
    ]);
  });
});
