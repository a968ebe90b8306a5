/**
 * `trainer_state.json` as Hugging Face's `TrainerState` writes it — exactly its fields, so
 * `TrainerState.load_from_json` reads ours — and back. What our runs keep beyond HF's fields (the run id,
 * the loss sums behind the logged means, the summed training time) travels where HF keeps a callback's
 * state across resumes: `stateful_callbacks`, under `ScratchgradRunState` (HF's Trainer restores only
 * callbacks it has, and only with `restore_callback_states_from_checkpoint`, so it ignores ours).
 */
import type { TrainerState } from "./state.js";

/**
 * The keys of transformers' `TrainerState` (4.x `trainer_callback.py`), sorted as `save_to_json` writes
 * them. `best_global_step` (added in 4.52) is left out: older versions' `TrainerState(**json)` would
 * refuse it, and newer ones default it to null.
 */
export const HF_TRAINER_STATE_KEYS = [
  "best_metric",
  "best_model_checkpoint",
  "epoch",
  "eval_steps",
  "global_step",
  "is_hyper_param_search",
  "is_local_process_zero",
  "is_world_process_zero",
  "log_history",
  "logging_steps",
  "max_steps",
  "num_input_tokens_seen",
  "num_train_epochs",
  "save_steps",
  "stateful_callbacks",
  "total_flos",
  "train_batch_size",
  "trial_name",
  "trial_params",
] as const;

/** The `stateful_callbacks` entry holding what our runs keep beyond HF's fields. */
export const RUN_STATE_CALLBACK = "ScratchgradRunState";

// our fields of TrainerState that HF's has not
const OWN_KEYS = [
  "run_id",
  "train_runtime",
  "window_loss_sum",
  "window_steps",
  "epoch_loss_sum",
  "epoch_steps",
  "total_loss_sum",
] as const;

/** HF's default `eval_steps`, which a run without `--eval-strategy steps` or `--eval-steps` keeps. */
const HF_DEFAULT_EVAL_STEPS = 500;

/**
 * HF's `floating_point_ops` estimate for `tokens` tokens: 6 · tokens · parameters without embeddings
 * (forward and backward of every matrix; `model.num_parameters(exclude_embeddings=True)`).
 */
export const totalFlos = (tokens: number, nonEmbeddingParameters: number): number =>
  6 * tokens * nonEmbeddingParameters;

/**
 * The JSON object of `trainer_state.json`: exactly HF's keys (sorted), with our run's own state in
 * `stateful_callbacks` and HF's `TrainerControl` beside it.
 * @example Object.keys(trainerStateJson(state, 1e6)) // HF_TRAINER_STATE_KEYS
 */
export const trainerStateJson = (
  state: TrainerState,
  nonEmbeddingParameters: number,
): Record<(typeof HF_TRAINER_STATE_KEYS)[number], unknown> => {
  const tokens = state.num_input_tokens_seen ?? 0;
  const own = Object.fromEntries(OWN_KEYS.flatMap((k) => (state[k] === undefined ? [] : [[k, state[k]]])));
  return {
    best_metric: null,
    best_model_checkpoint: null,
    epoch: state.epoch,
    eval_steps: state.eval_steps ?? HF_DEFAULT_EVAL_STEPS,
    global_step: state.global_step,
    is_hyper_param_search: false,
    is_local_process_zero: true,
    is_world_process_zero: true,
    log_history: state.log_history,
    logging_steps: state.logging_steps,
    max_steps: state.max_steps,
    num_input_tokens_seen: tokens,
    num_train_epochs: state.num_train_epochs,
    save_steps: state.save_steps,
    stateful_callbacks: {
      [RUN_STATE_CALLBACK]: { args: {}, attributes: own },
      TrainerControl: {
        args: {
          should_epoch_stop: false,
          should_evaluate: false,
          should_log: false,
          should_save: true,
          should_training_stop: state.global_step >= state.max_steps,
        },
        attributes: {},
      },
    },
    total_flos: totalFlos(tokens, nonEmbeddingParameters),
    train_batch_size: state.train_batch_size,
    trial_name: null,
    trial_params: null,
  };
};

const sortKeys = (x: unknown): unknown =>
  Array.isArray(x)
    ? x.map(sortKeys)
    : x !== null && typeof x === "object"
      ? Object.fromEntries(
          Object.keys(x)
            .sort()
            .map((k) => [k, sortKeys((x as Record<string, unknown>)[k])]),
        )
      : x;

/** `trainer_state.json`'s text as HF's `save_to_json` writes it: keys sorted, two-space indent. */
export const trainerStateText = (state: TrainerState, nonEmbeddingParameters: number): string =>
  `${JSON.stringify(sortKeys(trainerStateJson(state, nonEmbeddingParameters)), null, 2)}\n`;

/**
 * A `trainer_state.json` object read back into our state: HF's fields, and ours from
 * `stateful_callbacks` (or, for checkpoints written before they moved there, from the top level).
 */
export const trainerStateFromJson = (json: Record<string, unknown>): TrainerState => {
  const callbacks = json.stateful_callbacks as Record<string, { attributes?: unknown }> | undefined;
  const own = callbacks?.[RUN_STATE_CALLBACK]?.attributes as Record<string, unknown> | undefined;
  const legacy = Object.fromEntries(OWN_KEYS.flatMap((k) => (json[k] === undefined ? [] : [[k, json[k]]])));
  const hfFields = Object.fromEntries(
    HF_TRAINER_STATE_KEYS.flatMap((k) => (k === "stateful_callbacks" ? [] : [[k, json[k]]])),
  );
  return { train_runtime: 0, ...hfFields, ...legacy, ...own } as unknown as TrainerState;
};

/** The run a `trainer_state.json` object belongs to, if it says. */
export const runIdOfStateJson = (json: Record<string, unknown>): string | undefined => {
  const id = trainerStateFromJson(json).run_id;
  return typeof id === "string" ? id : undefined;
};
