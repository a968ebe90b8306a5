/**
 * Checkpoint directories as Hugging Face's `save_pretrained` lays them out — `config.json`,
 * `model.safetensors` and, for GPT-2, `generation_config.json` — so `GPT2LMHeadModel.from_pretrained(dir)` / `BertForMaskedLM.from_pretrained(dir)`
 * load what we save, and we load what they save. Both directions are TaskEithers.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { io } from "@scratchgrad/tensor";
import * as E from "fp-ts/lib/Either.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import {
  type Checkpoint,
  CONFIG_FILE,
  checkpointFromParts,
  checkpointTensors,
  checkpointTextFiles,
} from "./checkpoint.js";
import { type CheckpointError, fromSafetensorsError } from "./errors.js";
import { readWeights, WEIGHTS_FILE } from "./weights.js";

const ioError = (path: string, action: string, e: unknown): CheckpointError => ({
  _tag: "IoError",
  path,
  message: `could not ${action} ${path}: ${e instanceof Error ? e.message : String(e)}`,
});

/**
 * Writes `dir/config.json` and `dir/model.safetensors` (creating `dir`), and for GPT-2
 * `dir/generation_config.json` (bos/eos ids, as `save_pretrained` writes it). Names and layouts are HF's;
 * tied tensors (`lm_head.weight`, `cls.predictions.decoder.*`) are not stored, as HF's own save drops them.
 * @example await saveCheckpoint("runs/gpt2-tiny/step-1000", { modelType: "gpt2", config, params })();
 */
export const saveCheckpoint =
  (dir: string, checkpoint: Checkpoint): TE.TaskEither<CheckpointError, void> =>
  async () => {
    try {
      await mkdir(dir, { recursive: true });
      for (const [name, text] of checkpointTextFiles(checkpoint)) await writeFile(join(dir, name), text);
    } catch (e) {
      return E.left(ioError(dir, "write checkpoint to", e));
    }
    const { tensors, metadata } = checkpointTensors(checkpoint);
    const written = await io.writeSafetensorsFile(join(dir, WEIGHTS_FILE), tensors, metadata)();
    return E.isLeft(written) ? E.left(fromSafetensorsError(written.left)) : E.right(undefined);
  };

/**
 * Reads a checkpoint directory written by `saveCheckpoint` or by HF's `save_pretrained`: config.json
 * chooses the architecture; the weights are `model.safetensors` or the shards of
 * `model.safetensors.index.json` (F16, BF16 and F64 converted to float32); every tensor is checked by
 * name and shape, and tied copies (`lm_head.weight`) against what they are tied to.
 * @example
 * const loaded = await loadCheckpoint("runs/gpt2-tiny/step-1000")();
 * if (E.isRight(loaded) && loaded.right.modelType === "gpt2") gpt2(loaded.right.config).apply(loaded.right.params, ids, ctx);
 */
export const loadCheckpoint =
  (dir: string): TE.TaskEither<CheckpointError, Checkpoint> =>
  async () => {
    const configPath = join(dir, CONFIG_FILE);
    let json: unknown;
    try {
      json = JSON.parse(await readFile(configPath, "utf8"));
    } catch (e) {
      return E.left(ioError(configPath, "read", e));
    }
    const tensors = await readWeights(dir)();
    return E.isLeft(tensors) ? tensors : checkpointFromParts(json, tensors.right);
  };
