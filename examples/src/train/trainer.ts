import { appendFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type Blocks, batchOf, epochBatches } from "@scratchgrad/datasets";
import {
  adamw,
  applyUpdates,
  chain,
  clipByGlobalNorm,
  decayMask,
  type GradientTransformation,
  lastGlobalNorm,
  linearWarmupDecay,
} from "@scratchgrad/optim";
import { disposeReplaced, random, randomArrays, scope, valueAndGrad } from "@scratchgrad/tensor";
import type { Tokenizer } from "@scratchgrad/tokenizer";
import { formatDuration, type ProgressBar } from "./progress.js";
import { listCheckpoints, pruneCheckpoints, saveSnapshot } from "./run-files.js";
import type { LogEntry, TrainerState } from "./state.js";
import type { HostBatch, LmTask } from "./task.js";

/** The trainer's knobs, named as Hugging Face's TrainingArguments. */
export interface TrainingArguments {
  readonly outputDir: string;
  readonly numTrainEpochs: number;
  /** Overrides the epochs when > 0. */
  readonly maxSteps: number;
  readonly learningRate: number;
  readonly weightDecay: number;
  readonly warmupSteps: number;
  readonly warmupRatio: number;
  readonly perDeviceTrainBatchSize: number;
  readonly perDeviceEvalBatchSize: number;
  readonly maxGradNorm: number;
  readonly seed: number;
  readonly loggingSteps: number;
  readonly saveSteps: number;
  readonly saveTotalLimit: number;
}

export interface TrainingData {
  readonly train: Blocks;
  readonly validation: Blocks;
  /** Words of the validation split and its tokens before grouping, for word-level perplexity. */
  readonly validationWords: number;
  readonly validationTokens: number;
}

export interface EvalResult {
  readonly evalLoss: number;
  readonly perplexity: number;
  readonly wordPerplexity: number;
  readonly totalNll: number;
  readonly scoredTokens: number;
  readonly seconds: number;
}

/** A NaN or infinite loss: training stops at `step` with the last good state saved. */
export class NonFiniteLossError extends Error {
  constructor(
    readonly step: number,
    readonly loss: number,
    readonly checkpoint: string,
  ) {
    super(
      `loss became ${loss} at step ${step}; training stopped. The parameters from before that step are saved in ${checkpoint}. ` +
        "Lower --learning-rate or raise --warmup-steps, then resume with --resume-from-checkpoint.",
    );
  }
}

/** A RandomSource for the datasets package from a PRNG key. */
const keySource = (key: random.Key) => ({
  randomInts: (n: number, max: number) => randomArrays.randint(key, n, 0, max),
});

export interface TrainerIo {
  readonly log: (line: string) => void;
  readonly progress: ProgressBar;
  /** Set by the SIGINT handler; checked between steps. */
  readonly interrupted: () => boolean;
  readonly memoryMiB: () => number;
}

export interface TrainingOutcome<P> {
  readonly params: P;
  readonly state: TrainerState;
  readonly finalEval: EvalResult;
  readonly interrupted: boolean;
  readonly checkpoint?: string;
}

const hostBatch = (blocks: Blocks, indices: ArrayLike<number>): HostBatch => ({
  ids: batchOf(blocks, indices),
  special: batchOf(blocks, indices, "specialTokensMask"),
  batchSize: indices.length,
  blockSize: blocks.blockSize,
});

/** Mean loss over every scored token of the validation blocks (in order, no dropout). */
export const evaluate = <P>(
  task: LmTask<P>,
  params: P,
  data: TrainingData,
  batchSize: number,
  key: random.Key,
): EvalResult => {
  const t0 = performance.now();
  let totalNll = 0;
  let scored = 0;
  const n = data.validation.numBlocks;
  for (let start = 0, i = 0; start < n; start += batchSize, i++) {
    const idx = Array.from({ length: Math.min(batchSize, n - start) }, (_, j) => start + j);
    scope(() => {
      const { loss, count } = task.loss(
        params,
        hostBatch(data.validation, idx),
        random.foldIn(key, i),
        false,
      );
      totalNll += loss.item() * count;
      scored += count;
    });
  }
  const evalLoss = totalNll / Math.max(scored, 1);
  // Word level: the mean NLL per token times tokens per word of the split (exact for a causal LM,
  // whose every token is scored: total NLL / words).
  const wordPerplexity = Math.exp((evalLoss * data.validationTokens) / data.validationWords);
  return {
    evalLoss,
    perplexity: Math.exp(evalLoss),
    wordPerplexity,
    totalNll,
    scoredTokens: scored,
    seconds: (performance.now() - t0) / 1000,
  };
};

/** The optimizer the trainer uses: HF Trainer's defaults (AdamW, linear warmup/decay, clip 1.0, decay mask). */
export const makeOptimizer = <P>(
  params: P,
  args: TrainingArguments,
  totalSteps: number,
): GradientTransformation<unknown> => {
  const warmupSteps = args.warmupSteps > 0 ? args.warmupSteps : Math.ceil(args.warmupRatio * totalSteps);
  return chain(
    clipByGlobalNorm(args.maxGradNorm),
    adamw({
      learningRate: linearWarmupDecay({ peak: args.learningRate, warmupSteps, totalSteps }),
      weightDecay: args.weightDecay,
      mask: decayMask(params as never),
    }),
  ) as GradientTransformation<unknown>;
};

export const stepsPerEpochOf = (data: TrainingData, batchSize: number): number =>
  Math.ceil(data.train.numBlocks / batchSize);

export const totalStepsOf = (data: TrainingData, args: TrainingArguments): number =>
  args.maxSteps > 0
    ? args.maxSteps
    : Math.ceil(args.numTrainEpochs * stepsPerEpochOf(data, args.perDeviceTrainBatchSize));

/**
 * The training loop of Hugging Face's Trainer, functionally: each step is a pure function of the
 * parameters, the optimizer state, the batch and a key derived from (seed, step), run in a scope so
 * memory stays flat. Evaluates after every epoch, logs every `loggingSteps`, checkpoints every
 * `saveSteps` and on Ctrl-C, and stops with the last good state saved on a NaN/inf loss.
 */
export const train = async <P>(
  task: LmTask<P>,
  tokenizer: Tokenizer,
  data: TrainingData,
  args: TrainingArguments,
  start: { params: P; optState: unknown; state: TrainerState; optimizer: GradientTransformation<unknown> },
  io: TrainerIo,
): Promise<TrainingOutcome<P>> => {
  const B = args.perDeviceTrainBatchSize;
  const T = data.train.blockSize;
  const stepsPerEpoch = stepsPerEpochOf(data, B);
  const totalSteps = totalStepsOf(data, args);
  // as HF's progress shows it: the (possibly fractional) number of epochs the run will cover
  const numEpochs = Number((totalSteps / stepsPerEpoch).toFixed(2));
  const root = random.key(args.seed);
  const [dataKey, stepKey, evalKey] = random.split(root, 3) as [random.Key, random.Key, random.Key];
  const { optimizer } = start;
  let params = start.params;
  let optState = start.optState;
  let state = start.state;
  const history: LogEntry[] = [...state.log_history];
  const metricsPath = join(args.outputDir, "metrics.jsonl");
  await mkdir(args.outputDir, { recursive: true });

  const snapshot = async (dir: string): Promise<void> => {
    await saveSnapshot(
      dir,
      {
        modelType: task.modelType,
        config: task.config,
        params,
        optState,
        state: { ...state, log_history: history },
        tokenizer,
      },
      optimizer,
    );
    await pruneCheckpoints(args.outputDir, args.saveTotalLimit);
  };

  const lossFn = (p: P, batch: HostBatch, key: random.Key) => {
    const { loss, count } = task.loss(p, batch, key, true);
    return [loss, count] as [typeof loss, number];
  };
  const stepFn = valueAndGrad(lossFn, { hasAux: true });

  let order: Int32Array[] = [];
  let orderEpoch = -1;
  let windowLoss = 0;
  let windowSteps = 0;
  let epochLoss = 0;
  let epochSteps = 0;
  const runStart = performance.now();
  const runtimeBefore = state.train_runtime;
  let trainSeconds = 0;
  let finalEval: EvalResult | undefined;

  for (let step = state.global_step; step < totalSteps; step++) {
    // Let signal handlers run between steps (a synchronous loop would never see Ctrl-C).
    await new Promise((resolve) => setImmediate(resolve));
    if (io.interrupted()) {
      io.progress.done();
      const dir = join(args.outputDir, `checkpoint-${step}`);
      await snapshot(dir);
      return {
        params,
        state: { ...state, log_history: history },
        finalEval: finalEval ?? emptyEval,
        interrupted: true,
        checkpoint: dir,
      };
    }
    const epoch = Math.floor(step / stepsPerEpoch);
    if (epoch !== orderEpoch) {
      order = epochBatches(data.train.numBlocks, B, keySource(random.foldIn(dataKey, epoch)), {
        dropLast: false,
      });
      orderEpoch = epoch;
    }
    const batch = hostBatch(data.train, order[step % stepsPerEpoch]!);
    const t0 = performance.now();
    const result = scope(() => {
      const [[loss], grads] = stepFn(params, batch, random.foldIn(stepKey, step));
      const value = loss.item();
      if (!Number.isFinite(value)) return { value, next: undefined };
      const [updates, nextOpt] = optimizer.update(grads, optState, params);
      const nextParams = applyUpdates(params, updates) as P;
      return {
        value,
        next: { params: nextParams, optState: nextOpt },
        norm: lastGlobalNorm(nextOpt as never)?.item(),
      };
    });
    if (!result.next) {
      io.progress.done();
      const dir = join(args.outputDir, `checkpoint-${step}`);
      await snapshot(dir);
      throw new NonFiniteLossError(step, result.value, dir);
    }
    disposeReplaced({ params, optState }, result.next);
    params = result.next.params;
    optState = result.next.optState;
    const ms = performance.now() - t0;
    trainSeconds += ms / 1000;
    const done = step + 1;
    const epochFloat = done / stepsPerEpoch;
    windowLoss += result.value;
    windowSteps++;
    epochLoss += result.value;
    epochSteps++;
    state = {
      ...state,
      global_step: done,
      epoch: epochFloat,
      train_runtime: runtimeBefore + (performance.now() - runStart) / 1000,
    };
    const lr = linearLr(args, totalSteps, step);
    await appendFile(
      metricsPath,
      `${JSON.stringify({ step: done, epoch: round(epochFloat), loss: result.value, learning_rate: lr, grad_norm: result.norm, step_ms: round(ms), tokens_per_second: Math.round((batch.batchSize * T * 1000) / ms), memory_mib: io.memoryMiB() })}\n`,
    );
    if (done % args.loggingSteps === 0 || done === totalSteps) {
      history.push({
        step: done,
        epoch: round(epochFloat),
        loss: round(windowLoss / windowSteps),
        learning_rate: lr,
        ...(result.norm === undefined ? {} : { grad_norm: round(result.norm) }),
      });
      windowLoss = 0;
      windowSteps = 0;
    }
    io.progress.update({
      step: done,
      total: totalSteps,
      elapsed: trainSeconds,
      stepsThisRun: done - start.state.global_step,
      postfix: `epoch=${epochFloat.toFixed(2)}/${numEpochs}, loss=${result.value.toFixed(3)}`,
    });
    const endOfEpoch = done % stepsPerEpoch === 0 || done === totalSteps;
    if (endOfEpoch) {
      io.progress.done();
      const ev = evaluate(task, params, data, args.perDeviceEvalBatchSize, evalKey);
      finalEval = ev;
      const trainLoss = epochLoss / Math.max(epochSteps, 1);
      epochLoss = 0;
      epochSteps = 0;
      history.push({
        step: done,
        epoch: round(epochFloat),
        eval_loss: round(ev.evalLoss),
        eval_perplexity: round(ev.perplexity),
        eval_word_perplexity: round(ev.wordPerplexity),
        eval_runtime: round(ev.seconds),
        loss: round(trainLoss),
      });
      io.log(
        `epoch ${epochFloat.toFixed(2)}: train loss ${trainLoss.toFixed(4)}, validation loss ${ev.evalLoss.toFixed(4)} (perplexity ${ev.perplexity.toFixed(2)}, word-level ${ev.wordPerplexity.toFixed(2)}), eval ${formatDuration(ev.seconds)}`,
      );
    }
    if (args.saveSteps > 0 && done % args.saveSteps === 0 && done < totalSteps) {
      await snapshot(join(args.outputDir, `checkpoint-${done}`));
    }
  }
  io.progress.done();
  const seconds = (performance.now() - runStart) / 1000;
  history.push({
    step: state.global_step,
    epoch: round(state.epoch),
    train_runtime: round(runtimeBefore + seconds),
    train_tokens_per_second: Math.round(
      ((state.global_step - start.state.global_step) * B * T) / Math.max(trainSeconds, 1e-9),
    ),
  });
  state = { ...state, log_history: history };
  return {
    params,
    state,
    finalEval: finalEval ?? evaluate(task, params, data, args.perDeviceEvalBatchSize, evalKey),
    interrupted: false,
  };
};

const emptyEval: EvalResult = {
  evalLoss: Number.NaN,
  perplexity: Number.NaN,
  wordPerplexity: Number.NaN,
  totalNll: 0,
  scoredTokens: 0,
  seconds: 0,
};

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

/** The learning rate used at (0-based) `step`, for logging (HF's linear schedule). */
const linearLr = (args: TrainingArguments, total: number, step: number): number => {
  const warmup = args.warmupSteps > 0 ? args.warmupSteps : Math.ceil(args.warmupRatio * total);
  return linearWarmupDecay({ peak: args.learningRate, warmupSteps: warmup, totalSteps: total })(step);
};

/** A fresh state for a run starting at step 0. */
export const initialState = (data: TrainingData, args: TrainingArguments): TrainerState => ({
  global_step: 0,
  epoch: 0,
  max_steps: totalStepsOf(data, args),
  num_train_epochs: Math.ceil(totalStepsOf(data, args) / stepsPerEpochOf(data, args.perDeviceTrainBatchSize)),
  train_batch_size: args.perDeviceTrainBatchSize,
  logging_steps: args.loggingSteps,
  save_steps: args.saveSteps,
  log_history: [],
  train_runtime: 0,
});

/** The newest checkpoint of a run, for `--resume-from-checkpoint latest`. */
export const latestCheckpoint = async (outputDir: string): Promise<string | undefined> =>
  (await listCheckpoints(outputDir)).at(-1);
