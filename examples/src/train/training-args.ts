/**
 * What the training loop is given: its knobs (Hugging Face TrainingArguments' names) and the data, and
 * the step counts and warmup both derive from them — computed here once, for the loop, the optimizer
 * and the checks made before any work.
 */
import type { Blocks } from "@scratchgrad/datasets";

/** `--lr-scheduler-type`: Hugging Face's `SchedulerType` names that the trainer offers. */
export const SCHEDULER_TYPES = ["linear", "cosine", "constant", "constant_with_warmup"] as const;
export type SchedulerType = (typeof SCHEDULER_TYPES)[number];

/** `--optim`: `adamw` (HF's `adamw_torch`, which it equals) or `muon` (Muon for hidden matrices + AdamW). */
export const OPTIMIZER_NAMES = ["adamw", "adamw_torch", "muon"] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** `--eval-strategy` / `--save-strategy`: HF's `IntervalStrategy` names. */
export const INTERVAL_STRATEGIES = ["no", "steps", "epoch"] as const;
export type IntervalStrategy = (typeof INTERVAL_STRATEGIES)[number];

/** The trainer's knobs, named as Hugging Face's TrainingArguments. */
export interface TrainingArguments {
  readonly outputDir: string;
  readonly numTrainEpochs: number;
  /** Overrides the epochs when > 0 (-1: train `numTrainEpochs`). */
  readonly maxSteps: number;
  readonly learningRate: number;
  readonly weightDecay: number;
  /** Linear warmup steps; 0: `ceil(warmupRatio · total steps)`. */
  readonly warmupSteps: number;
  readonly warmupRatio: number;
  /** One of `SCHEDULER_TYPES` (the flag's choices; checked again where the schedule is made). */
  readonly lrSchedulerType: string;
  /** One of `OPTIMIZER_NAMES`. */
  readonly optim: string;
  readonly adamBeta1: number;
  readonly adamBeta2: number;
  readonly adamEpsilon: number;
  /** Muon's peak learning rate (`--optim muon`), on the same schedule as `learningRate`. */
  readonly muonLearningRate: number;
  readonly muonMomentum: number;
  readonly perDeviceTrainBatchSize: number;
  readonly perDeviceEvalBatchSize: number;
  readonly maxGradNorm: number;
  readonly seed: number;
  readonly loggingSteps: number;
  /** Log the first step too (HF's `logging_first_step`). */
  readonly loggingFirstStep: boolean;
  /** Micro-batches per optimizer step (HF's `gradient_accumulation_steps`). */
  readonly gradientAccumulationSteps: number;
  /**
   * When to evaluate during training (one of `INTERVAL_STRATEGIES`; default `epoch`): never (`no`; the
   * run still evaluates once at its end, as run_clm's `do_eval`), every `evalSteps`, or each epoch's end.
   */
  readonly evalStrategy?: string;
  /** Evaluate at all (run_clm's `do_eval`; absent: true). False: no evaluation, not even at the end. */
  readonly doEval?: boolean;
  /** Steps between evaluations with `evalStrategy` `steps`; 0 or absent: `loggingSteps` (HF's `None`). */
  readonly evalSteps?: number;
  /** When to save a checkpoint (one of `INTERVAL_STRATEGIES`; default `steps`): never, every `saveSteps`, each epoch's end. */
  readonly saveStrategy?: string;
  /** Steps between checkpoints with `saveStrategy` `steps`; 0: never. */
  readonly saveSteps: number;
  readonly saveTotalLimit: number;
}

/** The blocks a run trains and evaluates on. */
export interface TrainingData {
  readonly train: Blocks;
  readonly validation: Blocks;
  /** Words of the validation split and its tokens before grouping, for word-level perplexity. */
  readonly validationWords: number;
  readonly validationTokens: number;
}

/**
 * Optimizer steps per epoch: one per `accumulation` batches (the last batch may be short). With
 * accumulation, an epoch's last `batches % accumulation` batches are left out (HF's
 * `len_dataloader // gradient_accumulation_steps`).
 */
export const stepsPerEpochOf = (numBlocks: number, batchSize: number, accumulation = 1): number =>
  Math.max(1, Math.floor(Math.ceil(numBlocks / batchSize) / accumulation));

/** Steps of the whole run: `--max-steps` when > 0, else the epochs' worth. */
export const totalStepsOf = (numBlocks: number, args: TrainingArguments): number =>
  args.maxSteps > 0
    ? args.maxSteps
    : Math.ceil(
        args.numTrainEpochs *
          stepsPerEpochOf(numBlocks, args.perDeviceTrainBatchSize, args.gradientAccumulationSteps),
      );

/**
 * The steps between evaluations with `--eval-strategy steps`: `--eval-steps`, or `--logging-steps` when
 * it is 0 (HF's `__post_init__` sets `eval_steps = logging_steps` when it is None).
 */
export const evalStepsOf = (args: Pick<TrainingArguments, "evalSteps" | "loggingSteps">): number =>
  args.evalSteps !== undefined && args.evalSteps > 0 ? args.evalSteps : args.loggingSteps;

/** HF's rule: `--warmup-steps` when > 0, else `ceil(--warmup-ratio · total steps)`. */
export const warmupStepsOf = (args: TrainingArguments, totalSteps: number): number =>
  args.warmupSteps > 0 ? args.warmupSteps : Math.ceil(args.warmupRatio * totalSteps);

/**
 * Why a run of `totalSteps` cannot use these arguments, if it cannot (a usage error, checked before
 * training): a warmup longer than the run.
 * @example warmupProblem({ ...args, warmupSteps: 100 }, 40) // "--warmup-steps 100 is longer than the run's 40 steps; …"
 */
export const warmupProblem = (args: TrainingArguments, totalSteps: number): string | undefined =>
  args.warmupSteps > totalSteps
    ? `--warmup-steps ${args.warmupSteps} is longer than the run's ${totalSteps} steps; lower it or use --warmup-ratio`
    : undefined;
