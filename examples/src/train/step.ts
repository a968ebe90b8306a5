/**
 * The pure parts of training: one optimizer step, and evaluation over the validation blocks. Both are
 * functions of their inputs (parameters, optimizer state, batch, PRNG key) and run in a `scope`, so
 * memory stays flat.
 */
import { type Blocks, batchOf } from "@scratchgrad/datasets";
import {
  accumulate,
  adamw,
  applyUpdates,
  chain,
  clipByGlobalNorm,
  constant,
  constantWarmup,
  cosineWarmupDecay,
  decayMask,
  type GradientTransformation,
  lastGlobalNorm,
  linearWarmupDecay,
  muonWithAdamW,
  type Schedule,
} from "@scratchgrad/optim";
import { random, scope, valueAndGrad } from "@scratchgrad/tensor";
import type { HostBatch, LmTask } from "./task.js";
import {
  type SchedulerType,
  type TrainingArguments,
  type TrainingData,
  warmupStepsOf,
} from "./training-args.js";

/** Rows `indices` of `blocks` as a host batch. */
export const hostBatch = (blocks: Blocks, indices: ArrayLike<number>): HostBatch => ({
  ids: batchOf(blocks, indices),
  special: batchOf(blocks, indices, "specialTokensMask"),
  batchSize: indices.length,
  blockSize: blocks.blockSize,
});

/** Each `--lr-scheduler-type` as HF's `get_scheduler` builds it (HF's "constant" ignores the warmup). */
const SCHEDULES: Readonly<
  Record<SchedulerType, (o: { peak: number; warmupSteps: number; totalSteps: number }) => Schedule>
> = {
  linear: linearWarmupDecay,
  cosine: cosineWarmupDecay,
  constant: ({ peak }) => constant(peak),
  constant_with_warmup: constantWarmup,
};

/**
 * The learning rate of each step for a run of `totalSteps`: `--lr-scheduler-type` from 0 (warmup,
 * the one rule of `warmupStepsOf`) to `peak` (`--learning-rate` by default) and on.
 * @example learningRateSchedule({ ...args, lrSchedulerType: "cosine" }, 100)(0) // 0 with warmup
 */
export const learningRateSchedule = (
  args: TrainingArguments,
  totalSteps: number,
  peak: number = args.learningRate,
): Schedule => {
  // own keys only: "constructor" is no schedule
  const make = Object.hasOwn(SCHEDULES, args.lrSchedulerType)
    ? SCHEDULES[args.lrSchedulerType as SchedulerType]
    : undefined;
  if (!make) throw new RangeError(`unknown --lr-scheduler-type ${args.lrSchedulerType}`);
  return make({ peak, warmupSteps: warmupStepsOf(args, totalSteps), totalSteps });
};

/**
 * The optimizer the trainer uses: HF Trainer's defaults (clip 1.0, AdamW with `--adam-*` and the decay
 * mask, on `--lr-scheduler-type`); `--optim muon` gives the hidden matrices Muon instead
 * (`muonWithAdamW`: `--muon-learning-rate` on the same schedule, `--muon-momentum`, `--weight-decay`);
 * `--gradient-accumulation-steps k > 1` wraps it in `accumulate(k, …)` (one update per k micro-batches).
 */
export const makeOptimizer = <P>(
  params: P,
  args: TrainingArguments,
  totalSteps: number,
): GradientTransformation<unknown> => {
  const adamwOptions = {
    learningRate: learningRateSchedule(args, totalSteps),
    b1: args.adamBeta1,
    b2: args.adamBeta2,
    eps: args.adamEpsilon,
    weightDecay: args.weightDecay,
    mask: decayMask(params as never),
  };
  const inner =
    args.optim === "muon"
      ? muonWithAdamW({
          muon: {
            learningRate: learningRateSchedule(args, totalSteps, args.muonLearningRate),
            momentum: args.muonMomentum,
            weightDecay: args.weightDecay,
          },
          adamw: adamwOptions,
        })
      : adamw(adamwOptions);
  const step = chain(clipByGlobalNorm(args.maxGradNorm), inner) as GradientTransformation<unknown>;
  // HF clips the accumulated gradient: accumulate wraps the whole step
  return args.gradientAccumulationSteps > 1
    ? (accumulate(args.gradientAccumulationSteps, step) as GradientTransformation<unknown>)
    : step;
};

/** One step's result: the loss, and the next parameters and optimizer state unless the loss was not finite. */
export interface StepResult<P> {
  readonly loss: number;
  readonly next?: { readonly params: P; readonly optState: unknown };
  /** The gradient's global norm before clipping. */
  readonly gradNorm?: number;
}

/**
 * One training step as a pure function: the loss and gradient of `batch` at `params` (dropout and
 * masks from `key`), then the optimizer's update. A NaN or infinite loss returns no next state, so the
 * caller keeps the parameters it had.
 * @example const step = trainStep(task, optimizer); const r = step(params, optState, batch, key);
 */
export const trainStep = <P>(task: LmTask<P>, optimizer: GradientTransformation<unknown>) => {
  const lossFn = (p: P, batch: HostBatch, key: random.Key) => {
    const { loss, count } = task.loss(p, batch, key, true);
    return [loss, count] as [typeof loss, number];
  };
  const valueAndGradFn = valueAndGrad(lossFn, { hasAux: true });
  return (params: P, optState: unknown, batch: HostBatch, key: random.Key): StepResult<P> =>
    scope(() => {
      const [[lossTensor], grads] = valueAndGradFn(params, batch, key);
      const loss = lossTensor.item();
      if (!Number.isFinite(loss)) return { loss };
      const [updates, nextOpt] = optimizer.update(grads, optState, params);
      return {
        loss,
        next: { params: applyUpdates(params, updates) as P, optState: nextOpt },
        gradNorm: lastGlobalNorm(nextOpt as never)?.item(),
      };
    });
};

/** Validation loss and perplexities. */
export interface EvalResult {
  readonly evalLoss: number;
  readonly perplexity: number;
  readonly wordPerplexity: number;
  readonly totalNll: number;
  readonly scoredTokens: number;
  readonly seconds: number;
}

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
      const batch = hostBatch(data.validation, idx);
      const { loss, count } = task.loss(params, batch, random.foldIn(key, i), false);
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
