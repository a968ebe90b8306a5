/**
 * The loop's events and controls (Hugging Face's TrainerCallback, TrainerControl) and the two callbacks
 * that only steer it — when to log, evaluate and save, and stopping on request — without I/O, so the
 * Node trainer and the browser playground run the same loop. The callbacks with files and consoles
 * are in callbacks.ts.
 */
import type { LogEntry, TrainerState } from "./state.js";
import type { EvalResult } from "./step.js";
import { evalStepsOf, type TrainingArguments } from "./training-args.js";

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

/** An evaluation, with the mean training loss since the previous one (an epoch's, by default). */
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
 * HF's DefaultFlowCallback: log every `loggingSteps` and at the end (and the first step with
 * `loggingFirstStep`); evaluate as `evalStrategy` says (every `evalSteps`, or at each epoch's end) and
 * at the run's last step whatever it says (run_clm's `do_eval`), never when `doEval` is false; save as
 * `saveStrategy` says (every `saveSteps`, or at each epoch's end), but not at the last step: the run
 * writes its outputs then.
 */
export const flowCallback = (): TrainerCallback => ({
  onStepEnd: ({ args, totalSteps, stepsPerEpoch }, { step, finite }) => {
    if (!finite) return undefined;
    const due = (strategy: string, steps: number) =>
      (strategy === "steps" && steps > 0 && step % steps === 0) ||
      (strategy === "epoch" && step % stepsPerEpoch === 0);
    return {
      shouldLog:
        step % args.loggingSteps === 0 || step === totalSteps || (step === 1 && args.loggingFirstStep),
      shouldEvaluate:
        args.doEval !== false &&
        (due(args.evalStrategy ?? "epoch", evalStepsOf(args)) || step === totalSteps),
      shouldSave: due(args.saveStrategy ?? "steps", args.saveSteps) && step < totalSteps,
    };
  },
});

/**
 * Ctrl-C: once `interrupted()` holds, save a checkpoint after the step and stop (the run's last step
 * finishes normally instead, as its outputs are about to be written anyway).
 */
export const interruptCallback = (interrupted: () => boolean): TrainerCallback => ({
  onStepEnd: ({ totalSteps }, { step, finite }) =>
    interrupted() && finite && step < totalSteps ? { shouldSave: true, stop: "interrupted" } : undefined,
});
