/**
 * The loop's events and controls (Hugging Face's TrainerCallback, TrainerControl) and the two callbacks
 * that only steer it — when to log, evaluate and save, and stopping on request — without I/O, so the
 * Node trainer and the browser playground run the same loop. The callbacks with files and consoles
 * are in callbacks.ts.
 */
import type { LogEntry, TrainerState } from "./state.js";
import type { EvalResult } from "./step.js";
import type { TrainingArguments } from "./training-args.js";

/** Why the loop stopped. */
export type StopReason = "finished" | "interrupted" | "non-finite-loss";

/** What callbacks ask of the loop after a step (HF's TrainerControl). */
export interface TrainerControl {
  readonly shouldLog?: boolean;
  readonly shouldEvaluate?: boolean;
  readonly shouldSave?: boolean;
  /** Stop after this step's log/evaluate/save. */
  readonly stop?: Exclude<StopReason, "finished" | "non-finite-loss">;
}

/** What every event sees: the arguments, the run's shape and the state after the event. */
export interface TrainerContext {
  readonly args: TrainingArguments;
  readonly state: TrainerState;
  readonly totalSteps: number;
  readonly stepsPerEpoch: number;
  /** `global_step` when this process started (differs from 0 after a resume). */
  readonly startStep: number;
}

/** One finished step. A non-finite loss leaves the parameters and `state` as they were. */
export interface StepEnd {
  /** Steps done, counting this one (HF's global_step after it). */
  readonly step: number;
  readonly loss: number;
  readonly finite: boolean;
  readonly gradNorm?: number;
  readonly learningRate: number;
  readonly epoch: number;
  readonly stepMs: number;
  readonly tokensPerSecond: number;
  /** Seconds spent in training steps by this process (for the progress rate). */
  readonly trainSeconds: number;
}

/** An evaluation at the end of an epoch, with the epoch's mean training loss. */
export interface EvalReport extends EvalResult {
  readonly epoch: number;
  readonly epochTrainLoss: number;
}

/** How training ended: the reason, and the checkpoint written on the way out (Ctrl-C). */
export interface TrainEnd {
  readonly reason: StopReason;
  readonly checkpoint?: string;
  /** The step whose loss was not finite (the NaN guard's), and that loss. */
  readonly failedStep?: number;
  readonly loss?: number;
}

type Awaitable<T> = T | Promise<T>;

/** HF's TrainerCallback events; each is optional. */
export interface TrainerCallback {
  readonly onTrainBegin?: (ctx: TrainerContext) => Awaitable<void>;
  readonly onStepEnd?: (ctx: TrainerContext, step: StepEnd) => Awaitable<TrainerControl | undefined>;
  readonly onLog?: (ctx: TrainerContext, entry: LogEntry) => Awaitable<void>;
  readonly onEvaluate?: (ctx: TrainerContext, report: EvalReport) => Awaitable<void>;
  readonly onSave?: (ctx: TrainerContext, dir: string) => Awaitable<void>;
  readonly onTrainEnd?: (ctx: TrainerContext, end: TrainEnd) => Awaitable<void>;
}

/**
 * HF's DefaultFlowCallback: log every `loggingSteps`, at the end (and the first step with
 * `loggingFirstStep`), evaluate at the end of every
 * epoch (and of the run), save every `saveSteps` (not at the end: the run writes its outputs then).
 */
export const flowCallback = (): TrainerCallback => ({
  onStepEnd: ({ args, totalSteps, stepsPerEpoch }, { step, finite }) =>
    finite
      ? {
          shouldLog:
            step % args.loggingSteps === 0 || step === totalSteps || (step === 1 && args.loggingFirstStep),
          shouldEvaluate: step % stepsPerEpoch === 0 || step === totalSteps,
          shouldSave: args.saveSteps > 0 && step % args.saveSteps === 0 && step < totalSteps,
        }
      : undefined,
});

/**
 * Ctrl-C: once `interrupted()` holds, save a checkpoint after the step and stop (the run's last step
 * finishes normally instead, as its outputs are about to be written anyway).
 */
export const interruptCallback = (interrupted: () => boolean): TrainerCallback => ({
  onStepEnd: ({ totalSteps }, { step, finite }) =>
    interrupted() && finite && step < totalSteps ? { shouldSave: true, stop: "interrupted" } : undefined,
});
