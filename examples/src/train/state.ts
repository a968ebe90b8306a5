import { evalStepsOf } from "./training-args.js";

/** One entry of `trainer_state.json`'s log history, as Hugging Face's Trainer writes it. */
export interface LogEntry {
  readonly step: number;
  readonly epoch: number;
  readonly loss?: number;
  readonly learning_rate?: number;
  readonly grad_norm?: number;
  readonly eval_loss?: number;
  readonly eval_perplexity?: number;
  readonly eval_word_perplexity?: number;
  readonly eval_runtime?: number;
  readonly train_runtime?: number;
  readonly train_tokens_per_second?: number;
}

/** `trainer_state.json`: where a run is, and everything it logged (HF's field names). */
export interface TrainerState {
  readonly global_step: number;
  readonly epoch: number;
  readonly max_steps: number;
  readonly num_train_epochs: number;
  readonly train_batch_size: number;
  readonly logging_steps: number;
  readonly save_steps: number;
  /** Steps between evaluations (HF's `eval_steps`: set with `--eval-strategy steps` or `--eval-steps`). */
  readonly eval_steps?: number;
  readonly log_history: readonly LogEntry[];
  /** Tokens of every batch trained on so far (HF's `num_input_tokens_seen`; absent in old checkpoints). */
  readonly num_input_tokens_seen?: number;
  /** Seconds of training wall time so far (summed across resumed runs). */
  readonly train_runtime: number;
  /**
   * Which run this is: set when a run starts from scratch and kept by every resume, so pruning
   * (`--save-total-limit`) and the NaN guard touch only this run's checkpoints. Absent in old checkpoints.
   */
  readonly run_id?: string;
  /** Sum and count of the training losses since the last `logging_steps` log (so a resume logs the same mean). */
  readonly window_loss_sum?: number;
  readonly window_steps?: number;
  /** Sum and count of the training losses of the current epoch (its "Training Loss", across resumes). */
  readonly epoch_loss_sum?: number;
  readonly epoch_steps?: number;
  /** Sum of every step's training loss (HF's `train_loss` is its mean over the run, across resumes). */
  readonly total_loss_sum?: number;
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

/** The state after one more finished step with `loss` on `tokens` tokens (step, epoch, the loss sums). */
export const advanceState = (
  state: TrainerState,
  loss: number,
  stepsPerEpoch: number,
  trainRuntime: number,
  tokens = 0,
): TrainerState => ({
  ...state,
  global_step: state.global_step + 1,
  epoch: (state.global_step + 1) / stepsPerEpoch,
  train_runtime: trainRuntime,
  num_input_tokens_seen: (state.num_input_tokens_seen ?? 0) + tokens,
  total_loss_sum: (state.total_loss_sum ?? 0) + loss,
  window_loss_sum: (state.window_loss_sum ?? 0) + loss,
  window_steps: (state.window_steps ?? 0) + 1,
  epoch_loss_sum: (state.epoch_loss_sum ?? 0) + loss,
  epoch_steps: (state.epoch_steps ?? 0) + 1,
});

/** HF's periodic log entry (mean loss since the last one), appended to the history; the window restarts. */
export const withTrainLog = (
  state: TrainerState,
  learningRate: number,
  gradNorm: number | undefined,
): { state: TrainerState; entry: LogEntry } => {
  const entry: LogEntry = {
    step: state.global_step,
    epoch: round(state.epoch),
    loss: round((state.window_loss_sum ?? 0) / Math.max(1, state.window_steps ?? 0)),
    learning_rate: learningRate,
    ...(gradNorm === undefined ? {} : { grad_norm: round(gradNorm) }),
  };
  return {
    state: { ...state, log_history: [...state.log_history, entry], window_loss_sum: 0, window_steps: 0 },
    entry,
  };
};

/** The epoch's mean training loss, and the state with the epoch's sums restarted. */
export const closeEpoch = (state: TrainerState): { state: TrainerState; epochTrainLoss: number } => ({
  state: { ...state, epoch_loss_sum: 0, epoch_steps: 0 },
  epochTrainLoss: (state.epoch_loss_sum ?? 0) / Math.max(1, state.epoch_steps ?? 0),
});

/** The evaluation entry of the log history (with the epoch's training loss, as the lab's table shows). */
export const evalLogEntry = (
  state: TrainerState,
  ev: { evalLoss: number; perplexity: number; wordPerplexity: number; seconds: number },
  epochTrainLoss: number,
): LogEntry => ({
  step: state.global_step,
  epoch: round(state.epoch),
  eval_loss: round(ev.evalLoss),
  eval_perplexity: round(ev.perplexity),
  eval_word_perplexity: round(ev.wordPerplexity),
  eval_runtime: round(ev.seconds),
  loss: round(epochTrainLoss),
});

/** A fresh state for a run starting at step 0; `runId` names the run (see `run_id`). */
export const initialState = (
  shape: { totalSteps: number; stepsPerEpoch: number },
  args: {
    perDeviceTrainBatchSize: number;
    loggingSteps: number;
    saveSteps: number;
    evalStrategy?: string;
    evalSteps?: number;
  },
  runId: string,
): TrainerState => ({
  global_step: 0,
  epoch: 0,
  max_steps: shape.totalSteps,
  num_train_epochs: Math.ceil(shape.totalSteps / shape.stepsPerEpoch),
  train_batch_size: args.perDeviceTrainBatchSize,
  logging_steps: args.loggingSteps,
  save_steps: args.saveSteps,
  // HF's TrainingArguments sets eval_steps = logging_steps for the steps strategy when not given
  ...(args.evalStrategy === "steps" || (args.evalSteps ?? 0) > 0 ? { eval_steps: evalStepsOf(args) } : {}),
  log_history: [],
  num_input_tokens_seen: 0,
  train_runtime: 0,
  total_loss_sum: 0,
  run_id: runId,
});
