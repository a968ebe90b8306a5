/**
 * Checkpoint directories as Hugging Face's `save_pretrained` lays them out — `config.json` and
 * `model.safetensors` — so `GPT2LMHeadModel.from_pretrained(dir)` / `BertForMaskedLM.from_pretrained(dir)`
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
import type { CheckpointError } from "./errors.js";
import { configJson, parseConfigJson } from "./hf-config.js";
import { BERT_LOAD_RULES, GPT2_LOAD_RULES } from "./hf-names.js";
import { fromRawTensors, fromStateDict, toRawTensors, toStateDict } from "./state-dict.js";

/** A model's identity, configuration and parameters: what a checkpoint directory holds. */
export type Checkpoint =
  | { readonly modelType: "gpt2"; readonly config: Gpt2Config; readonly params: Gpt2Params }
  | { readonly modelType: "bert"; readonly config: BertConfig; readonly params: BertParams };

/** The configuration file of a checkpoint directory (HF's name). */
export const CONFIG_FILE = "config.json";
/** The weights file of a checkpoint directory (HF's name for single-file safetensors). */
export const WEIGHTS_FILE = "model.safetensors";

const ioError = (path: string, action: string, e: unknown): CheckpointError => ({
  _tag: "IoError",
  path,
  message: `could not ${action} ${path}: ${e instanceof Error ? e.message : String(e)}`,
});

const fromSafetensorsError = (e: io.SafetensorsError): CheckpointError =>
  e._tag === "IoError"
    ? { _tag: "IoError", path: e.path, message: e.message }
    : { _tag: "InvalidSafetensors", message: e.message };

/**
 * Writes `dir/config.json` and `dir/model.safetensors` (creating `dir`). Names and layouts are HF's;
 * tied tensors (`lm_head.weight`, `cls.predictions.decoder.*`) are not stored, as HF's own save drops them.
 * @example await saveCheckpoint("runs/gpt2-tiny/step-1000", { modelType: "gpt2", config, params })();
 */
export const saveCheckpoint =
  (dir: string, checkpoint: Checkpoint): TE.TaskEither<CheckpointError, void> =>
  async () => {
    try {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, CONFIG_FILE), configJson(checkpoint.modelType, checkpoint.config));
    } catch (e) {
      return E.left(ioError(dir, "write checkpoint to", e));
    }
    // HF's writer adds { format: "pt" }; transformers refuses archives without a known format.
    const raw = toRawTensors(toStateDict(checkpoint.params));
    const written = await io.writeSafetensorsFile(join(dir, WEIGHTS_FILE), raw, { format: "pt" })();
    return E.isLeft(written) ? E.left(fromSafetensorsError(written.left)) : E.right(undefined);
  };

/**
 * Reads a checkpoint directory written by `saveCheckpoint` or by HF's `save_pretrained` (F32; F16, BF16
 * and F64 weights are converted to float32):
 * config.json chooses the architecture, every tensor is checked by name and shape against it.
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
    const weightsPath = join(dir, WEIGHTS_FILE);
    const file = await io.readSafetensorsFile(weightsPath)();
    if (E.isLeft(file)) return E.left(fromSafetensorsError(file.left));
    const tensors = fromRawTensors(file.right.tensors);
    if (E.isLeft(tensors))
      return E.left({ ...tensors.left, message: `${weightsPath}: ${tensors.left.message}` });
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
