/**
 * The training loop of Hugging Face's Trainer, functionally. The loop owns only the order of events and
 * the state: each step is the pure `trainStep` of the parameters, the optimizer state, the batch and a
 * key derived from (seed, step); after it, the callbacks (callbacks.ts) decide whether to log,
 * evaluate, save or stop, and do the printing and the files. Nothing here is Node's: the browser
 * playground runs this same loop.
 */
import { epochBatches } from "@scratchgrad/datasets";
import type { GradientTransformation } from "@scratchgrad/optim";
import { disposeReplaced, random, randomArrays, treeLeaves } from "@scratchgrad/tensor";
import type {
  EvalReport,
  StepEnd,
  TrainEnd,
  TrainerCallback,
  TrainerContext,
  TrainerControl,
} from "./loop-events.js";
import { advanceState, closeEpoch, evalLogEntry, type TrainerState, withTrainLog } from "./state.js";
import {
  type EvalResult,
  evaluate,
  hostBatch,
  learningRateSchedule,
  type StepResult,
  trainStep,
} from "./step.js";
import type { LmTask } from "./task.js";
import { stepsPerEpochOf, type TrainingArguments, type TrainingData, totalStepsOf } from "./training-args.js";

export type { EvalResult } from "./step.js";
export { evaluate, makeOptimizer } from "./step.js";
export type { TrainingArguments, TrainingData } from "./training-args.js";

/** Parameters, optimizer state and trainer state: everything that changes during training. */
export interface RunState<P> {
  readonly params: P;
  readonly optState: unknown;
  readonly state: TrainerState;
}

/** What the loop is given. `save` writes a checkpoint of a run state to a directory. */
export interface Trainer<P> {
  readonly task: LmTask<P>;
  readonly optimizer: GradientTransformation<unknown>;
  readonly data: TrainingData;
  readonly args: TrainingArguments;
  readonly callbacks: readonly TrainerCallback[];
  readonly save: (dir: string, run: RunState<P>) => Promise<void>;
}

/** Where training ended, and the last evaluation (run at the end if no epoch ended; none without `doEval`). */
export interface TrainingOutcome<P> extends RunState<P>, TrainEnd {
  readonly finalEval?: EvalResult;
}

/** The keys of a run: data order, step (dropout, masks) and evaluation — HF's seed split three ways. */
export const runKeys = (seed: number) => {
  const [data, step, evaluation] = random.split(random.key(seed), 3) as [random.Key, random.Key, random.Key];
  return { data, step, evaluation };
};

/**
 * The batches of step `step` (0-based), `accumulation` of them: each epoch shuffles the blocks with a
 * key from (seed, epoch), and step j of the epoch takes its batches j·accumulation, … .
 */
const batchOrder = (data: TrainingData, batchSize: number, accumulation: number, dataKey: random.Key) => {
  const stepsPerEpoch = stepsPerEpochOf(data.train.numBlocks, batchSize, accumulation);
  let epoch = -1;
  let order: Int32Array[] = [];
  return (step: number): Int32Array[] => {
    if (Math.floor(step / stepsPerEpoch) !== epoch) {
      epoch = Math.floor(step / stepsPerEpoch);
      const key = random.foldIn(dataKey, epoch);
      order = epochBatches(
        data.train.numBlocks,
        batchSize,
        { randomInts: (n, max) => randomArrays.randint(key, n, 0, max) },
        { dropLast: false },
      );
    }
    const first = (step % stepsPerEpoch) * accumulation;
    return order.slice(first, first + accumulation);
  };
};

/** Lets queued events run: Node's setImmediate, a 0 ms timeout where there is none (a browser worker). */
const yieldToEvents = (): Promise<void> =>
  new Promise((resolve) =>
    typeof setImmediate === "function" ? setImmediate(resolve) : setTimeout(resolve, 0),
  );

/** Calls one event on every callback in order; `onStepEnd` answers are merged (any `true` wins). */
const emit = async <K extends keyof TrainerCallback>(
  callbacks: readonly TrainerCallback[],
  event: K,
  ...rest: Parameters<NonNullable<TrainerCallback[K]>>
): Promise<TrainerControl> => {
  let control: TrainerControl = {};
  for (const cb of callbacks) {
    const handler = cb[event] as ((...a: typeof rest) => unknown) | undefined;
    const answer = (await handler?.(...rest)) as TrainerControl | undefined;
    if (answer)
      control = {
        shouldLog: control.shouldLog || answer.shouldLog,
        shouldEvaluate: control.shouldEvaluate || answer.shouldEvaluate,
        shouldSave: control.shouldSave || answer.shouldSave,
        ...((control.stop ?? answer.stop) ? { stop: control.stop ?? answer.stop } : {}),
      };
  }
  return control;
};

/**
 * Trains from `start` to the run's last step, or until a callback stops it (Ctrl-C, a NaN loss).
 * @example const outcome = await train(trainer, { params, optState, state });
 */
export const train = async <P>(trainer: Trainer<P>, start: RunState<P>): Promise<TrainingOutcome<P>> => {
  const { args, data, callbacks } = trainer;
  const totalSteps = totalStepsOf(data.train.numBlocks, args);
  const base = {
    args,
    totalSteps,
    blockSize: data.train.blockSize,
    stepsPerEpoch: stepsPerEpochOf(
      data.train.numBlocks,
      args.perDeviceTrainBatchSize,
      args.gradientAccumulationSteps,
    ),
    startStep: start.state.global_step,
  };
  const ctx = (state: TrainerState): TrainerContext => ({ ...base, state });
  await emit(callbacks, "onTrainBegin", ctx(start.state));
  const stepper = stepRunner(trainer, totalSteps, base.stepsPerEpoch);
  let run = start;
  let end: TrainEnd = { reason: "finished" };
  let finalEval: EvalResult | undefined;
  while (run.state.global_step < totalSteps) {
    const { next, report } = stepper(run);
    run = next;
    // let a signal handler (Ctrl-C) or a worker's message (stop) run between steps: a synchronous
    // loop would never see them
    await yieldToEvents();
    const control = await emit(callbacks, "onStepEnd", ctx(run.state), report);
    const after = await applyControl(trainer, ctx, run, report, control);
    run = after.run;
    finalEval = after.evaluation ?? finalEval;
    // a step whose loss is not finite cannot advance the state: the run stops there whatever the
    // callbacks say (the NaN guard callback decides what to keep and what to tell)
    if (!report.finite) {
      end = { reason: "non-finite-loss", failedStep: report.step, loss: report.loss };
      break;
    }
    if (control.stop) {
      end = { reason: control.stop, ...(after.saved ? { checkpoint: after.saved } : {}) };
      break;
    }
  }
  if (end.reason === "finished") run = { ...run, state: finishedState(run.state, base, stepper.seconds()) };
  if (end.reason === "finished" && !finalEval && args.doEval !== false)
    finalEval = evaluateRun(trainer, run.params);
  await emit(callbacks, "onTrainEnd", ctx(run.state), end);
  return { ...run, ...end, ...(finalEval ? { finalEval } : {}) };
};

const evaluateRun = <P>(trainer: Trainer<P>, params: P): EvalResult =>
  evaluate(
    trainer.task,
    params,
    trainer.data,
    trainer.args.perDeviceEvalBatchSize,
    runKeys(trainer.args.seed).evaluation,
  );

/** The run's closing log entry (HF's train_runtime), with the tokens/s of this process's steps. */
const finishedState = (
  state: TrainerState,
  base: { args: TrainingArguments; startStep: number; blockSize: number },
  trainSeconds: number,
): TrainerState => {
  const tokens =
    (state.global_step - base.startStep) *
    base.args.perDeviceTrainBatchSize *
    base.args.gradientAccumulationSteps *
    base.blockSize;
  const entry = {
    step: state.global_step,
    epoch: round(state.epoch),
    train_runtime: round(state.train_runtime),
    train_tokens_per_second: Math.round(tokens / Math.max(trainSeconds, 1e-9)),
  };
  return { ...state, log_history: [...state.log_history, entry] };
};

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

/** Frees the tensors of `previous` that neither `next` nor `keep` holds. */
const release = (previous: unknown, next: unknown, keep: unknown): void => {
  const alive = new Set([...treeLeaves(next), ...treeLeaves(keep)]);
  for (const t of treeLeaves(previous)) if (!alive.has(t)) t.dispose();
};

/**
 * Runs one step of a run state: its batches (one per accumulated micro-batch), the pure `trainStep` on
 * each, and the next state (unchanged when a loss was not finite), with the step's report for the
 * callbacks (the loss is the mean of the micro-batches'). `seconds()`: time in steps.
 */
const stepRunner = <P>(trainer: Trainer<P>, totalSteps: number, stepsPerEpoch: number) => {
  const { args, data } = trainer;
  const keys = runKeys(args.seed);
  const order = batchOrder(data, args.perDeviceTrainBatchSize, args.gradientAccumulationSteps, keys.data);
  const step = trainStep(trainer.task, trainer.optimizer);
  const learningRate = learningRateSchedule(args, totalSteps);
  const wallStart = performance.now();
  let runtimeBefore: number | undefined;
  let trainSeconds = 0;
  const run = (r: RunState<P>): { next: RunState<P>; report: StepEnd } => {
    runtimeBefore ??= r.state.train_runtime;
    const index = r.state.global_step;
    const micro = order(index);
    const original = { params: r.params, optState: r.optState };
    const t0 = performance.now();
    let current = original;
    let lossSum = 0;
    let tokens = 0;
    let result: StepResult<P> | undefined;
    for (const [m, indices] of micro.entries()) {
      const batch = hostBatch(data.train, indices);
      tokens += batch.batchSize * batch.blockSize;
      // one key per micro-batch; without accumulation the step's key, as before
      result = step(
        current.params,
        current.optState,
        batch,
        random.foldIn(keys.step, index * micro.length + m),
      );
      lossSum += result.loss;
      if (!result.next) break;
      if (current !== original) release(current, result.next, original);
      current = result.next;
    }
    const ms = performance.now() - t0;
    trainSeconds += ms / 1000;
    const finite = result?.next !== undefined;
    const loss = finite ? lossSum / micro.length : result!.loss;
    const report: StepEnd = {
      step: index + 1,
      loss,
      finite,
      ...(result?.gradNorm === undefined ? {} : { gradNorm: result.gradNorm }),
      learningRate: learningRate(index),
      epoch: (index + 1) / stepsPerEpoch,
      stepMs: ms,
      tokensPerSecond: Math.round((tokens * 1000) / ms),
      trainSeconds,
    };
    if (!finite) {
      if (current !== original) release(current, original, original);
      return { next: r, report };
    }
    disposeReplaced(original, current);
    const runtime = runtimeBefore + (performance.now() - wallStart) / 1000;
    const state = advanceState(r.state, loss, stepsPerEpoch, runtime, tokens);
    return { next: { ...current, state }, report };
  };
  return Object.assign(run, { seconds: () => trainSeconds });
};

/** Does what the callbacks asked after a step, in HF's order: log, evaluate, save. */
const applyControl = async <P>(
  trainer: Trainer<P>,
  ctx: (state: TrainerState) => TrainerContext,
  run: RunState<P>,
  report: StepEnd,
  control: TrainerControl,
): Promise<{ run: RunState<P>; evaluation?: EvalResult; saved?: string }> => {
  const { callbacks } = trainer;
  let state = run.state;
  let evaluation: EvalResult | undefined;
  let saved: string | undefined;
  if (control.shouldLog) {
    const logged = withTrainLog(state, report.learningRate, report.gradNorm);
    state = logged.state;
    await emit(callbacks, "onLog", ctx(state), logged.entry);
  }
  if (control.shouldEvaluate) {
    evaluation = evaluateRun(trainer, run.params);
    const closed = closeEpoch(state);
    const entry = evalLogEntry(closed.state, evaluation, closed.epochTrainLoss);
    state = { ...closed.state, log_history: [...closed.state.log_history, entry] };
    const evalReport: EvalReport = {
      ...evaluation,
      epoch: state.epoch,
      epochTrainLoss: closed.epochTrainLoss,
    };
    await emit(callbacks, "onEvaluate", ctx(state), evalReport);
  }
  if (control.shouldSave) {
    saved = `${trainer.args.outputDir.replace(/\/+$/, "")}/checkpoint-${state.global_step}`;
    await trainer.save(saved, { ...run, state });
    await emit(callbacks, "onSave", ctx(state), saved);
  }
  return { run: { ...run, state }, ...(evaluation ? { evaluation } : {}), ...(saved ? { saved } : {}) };
};
