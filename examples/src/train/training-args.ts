/**
 * What the training loop is given: its knobs (Hugging Face TrainingArguments' names) and the data, and
 * the step counts and warmup both derive from them — computed here once, for the loop, the optimizer
 * and the checks made before any work.
 */
import type { Blocks } from "@scratchgrad/datasets";

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
  readonly perDeviceTrainBatchSize: number;
  readonly perDeviceEvalBatchSize: number;
  readonly maxGradNorm: number;
  readonly seed: number;
  readonly loggingSteps: number;
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

/** Optimizer steps per epoch (the last batch may be short). */
export const stepsPerEpochOf = (numBlocks: number, batchSize: number): number =>
  Math.ceil(numBlocks / batchSize);

/** Steps of the whole run: `--max-steps` when > 0, else the epochs' worth. */
export const totalStepsOf = (numBlocks: number, args: TrainingArguments): number =>
  args.maxSteps > 0
    ? args.maxSteps
    : Math.ceil(args.numTrainEpochs * stepsPerEpochOf(numBlocks, args.perDeviceTrainBatchSize));

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
