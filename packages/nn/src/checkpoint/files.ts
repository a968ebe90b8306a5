/**
 * Checkpoint directories as Hugging Face's `save_pretrained` lays them out — `config.json`,
 * `model.safetensors` and, for GPT-2, `generation_config.json` — so `GPT2LMHeadModel.from_pretrained(dir)` / `BertForMaskedLM.from_pretrained(dir)`
 * load what we save, and we load what they save. Both directions are TaskEithers.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { io } from "@scratchgrad/tensor";
import * as E from "fp-ts/lib/Either.js";
import { pipe } from "fp-ts/lib/function.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import type { BertConfig } from "../models/bert/config.js";
import { type BertParams, bertSpec } from "../models/bert/model.js";
import type { Gpt2Config } from "../models/gpt2/config.js";
import { type Gpt2Params, gpt2Spec } from "../models/gpt2/model.js";
import { type CheckpointError, fromSafetensorsError } from "./errors.js";
import { GENERATION_CONFIG_FILE, generationConfigJson } from "./generation-config.js";
import { configJson, parseConfigJson } from "./hf-config.js";
import { BERT_LOAD_RULES, GPT2_LOAD_RULES } from "./hf-names.js";
import { fromStateDict, toRawTensors, toStateDict } from "./state-dict.js";
import { readWeights, WEIGHTS_FILE } from "./weights.js";

export { WEIGHTS_FILE } from "./weights.js";

/** A model's identity, configuration and parameters: what a checkpoint directory holds. */
export type Checkpoint =
  | { readonly modelType: "gpt2"; readonly config: Gpt2Config; readonly params: Gpt2Params }
  | { readonly modelType: "bert"; readonly config: BertConfig; readonly params: BertParams };

/** The configuration file of a checkpoint directory (HF's name). */
export const CONFIG_FILE = "config.json";

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
      await writeFile(join(dir, CONFIG_FILE), configJson(checkpoint.modelType, checkpoint.config));
      if (checkpoint.modelType === "gpt2")
        await writeFile(join(dir, GENERATION_CONFIG_FILE), generationConfigJson(checkpoint.config));
    } catch (e) {
      return E.left(ioError(dir, "write checkpoint to", e));
    }
    // HF's writer adds { format: "pt" }; transformers refuses archives without a known format.
    const raw = toRawTensors(toStateDict(checkpoint.params));
    const written = await io.writeSafetensorsFile(join(dir, WEIGHTS_FILE), raw, { format: "pt" })();
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
    const parsed = parseConfigJson(json);
    if (E.isLeft(parsed)) return parsed;
    const tensors = await readWeights(dir)();
    if (E.isLeft(tensors)) return tensors;
    const p = parsed.right;
    if (p.modelType === "gpt2") {
      return pipe(
        fromStateDict(gpt2Spec(p.config), tensors.right, GPT2_LOAD_RULES),
        E.map((params): Checkpoint => ({ ...p, params })),
      );
    }
    return pipe(
      fromStateDict(bertSpec(p.config), tensors.right, BERT_LOAD_RULES),
      E.map((params): Checkpoint => ({ ...p, params })),
    );
  };
