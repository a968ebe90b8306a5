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
  readonly log_history: readonly LogEntry[];
  /** Seconds of training wall time so far (summed across resumed runs). */
  readonly train_runtime: number;
}
