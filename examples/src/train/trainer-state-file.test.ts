import { describe, expect, it } from "vitest";
import { advanceState, initialState, withTrainLog } from "./state.js";
import {
  HF_TRAINER_STATE_KEYS,
  RUN_STATE_CALLBACK,
  runIdOfStateJson,
  trainerStateFromJson,
  trainerStateText,
} from "./trainer-state-file.js";

const state = withTrainLog(
  advanceState(
    advanceState(
      initialState(
        { totalSteps: 10, stepsPerEpoch: 4 },
        { perDeviceTrainBatchSize: 2, loggingSteps: 5, saveSteps: 2 },
        "run-a",
      ),
      3.5,
      4,
      1.25,
      64,
    ),
    3.25,
    4,
    2.5,
    64,
  ),
  1e-3,
  0.5,
).state;

describe("trainer_state.json", () => {
  it("has exactly HF TrainerState's keys, sorted as save_to_json writes them", () => {
    const json = JSON.parse(trainerStateText(state, 1000));
    expect(Object.keys(json)).toEqual([...HF_TRAINER_STATE_KEYS]);
    expect(json).toMatchObject({
      global_step: 2,
      epoch: 0.5,
      max_steps: 10,
      num_train_epochs: 3,
      num_input_tokens_seen: 128,
      total_flos: 6 * 128 * 1000,
      train_batch_size: 2,
      logging_steps: 5,
      save_steps: 2,
      best_metric: null,
      is_world_process_zero: true,
    });
    expect(Object.keys(json.log_history[0])).toEqual([...Object.keys(json.log_history[0])].sort());
    expect(json.stateful_callbacks.TrainerControl.args.should_training_stop).toBe(false);
  });

  it("reads back our run state (from stateful_callbacks), and the old top-level layout", () => {
    const back = trainerStateFromJson(JSON.parse(trainerStateText(state, 1000)));
    for (const key of Object.keys(state) as (keyof typeof state)[]) expect(back[key]).toEqual(state[key]);
    expect(runIdOfStateJson(JSON.parse(trainerStateText(state, 0)))).toBe("run-a");
    const old = {
      global_step: 3,
      epoch: 1,
      log_history: [],
      run_id: "old",
      window_loss_sum: 2,
      train_runtime: 9,
    };
    expect(trainerStateFromJson(old)).toMatchObject(old);
    expect(runIdOfStateJson({ stateful_callbacks: { [RUN_STATE_CALLBACK]: { attributes: {} } } })).toBe(
      undefined,
    );
  });
});
