import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gpt2, gpt2Config } from "@scratchgrad/nn";
import { gpujsBackend, random, useBackend } from "@scratchgrad/tensor";
import { trainWikitextWordLevel } from "@scratchgrad/tokenizer";
import { describe, expect, it } from "vitest";
import { UserError } from "../cli/main.js";
import { saveSnapshot } from "./run-files.js";
import { initialState } from "./state.js";
import { makeOptimizer } from "./step.js";
import { testTrainingArgs } from "./test-training-args.js";

describe("saveSnapshot", () => {
  it("a save that fails (disk full) is one error line and leaves no temporary directory", async () => {
    useBackend(gpujsBackend("cpu"));
    const config = gpt2Config("gpt2-tiny", {
      vocab_size: 16,
      n_layer: 1,
      n_embd: 8,
      n_head: 2,
      n_positions: 8,
    });
    const params = gpt2(config).init(random.key(0));
    const optimizer = makeOptimizer(params, testTrainingArgs(), 4);
    const full = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    const tokenizer = trainWikitextWordLevel([" the river castle . "]);
    // the last file of the checkpoint cannot be written: the disk is full by then
    const trainingArgs = {
      toJSON: () => {
        throw full;
      },
    };
    const out = await mkdtemp(join(tmpdir(), "sg-save-"));
    const state = initialState(
      { totalSteps: 4, stepsPerEpoch: 2 },
      { perDeviceTrainBatchSize: 1, loggingSteps: 1, saveSteps: 1 },
      "run",
    );
    const save = saveSnapshot(
      join(out, "checkpoint-1"),
      {
        modelType: "gpt2",
        config: config as never,
        params,
        optState: optimizer.init(params),
        state,
        tokenizer,
        trainingArgs,
      },
      optimizer,
    );
    await expect(save).rejects.toBeInstanceOf(UserError);
    await expect(save).rejects.toThrow(
      /^saving \S+checkpoint-1: ENOSPC: no space left on device, write; free some disk space or choose another --output-dir$/,
    );
    expect(await readdir(out)).toEqual([]);
  });
});
