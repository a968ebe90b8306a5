/**
 * Checkpoint directories as Hugging Face's `save_pretrained` lays them out — `config.json` and
 * `model.safetensors` — so `GPT2LMHeadModel.from_pretrained(dir)` / `BertForMaskedLM.from_pretrained(dir)`
 * load what we save, and we load what they save. Both directions are TaskEithers.
 */
import { randomUUID } from "node:crypto";
import { mkdir, open, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
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
import { decodeSafetensors, encodeSafetensors } from "./safetensors.js";
import { fromStateDict, toStateDict } from "./state-dict.js";

/** A model's identity, configuration and parameters: what a checkpoint directory holds. */
export type Checkpoint =
  | { readonly modelType: "gpt2"; readonly config: Gpt2Config; readonly params: Gpt2Params }
  | { readonly modelType: "bert"; readonly config: BertConfig; readonly params: BertParams };

/** File names inside a checkpoint directory (HF's). */
export const CONFIG_FILE = "config.json";
export const WEIGHTS_FILE = "model.safetensors";

const ioError = (path: string, action: string, e: unknown): CheckpointError => ({
  _tag: "IoError",
  path,
  message: `could not ${action} ${path}: ${e instanceof Error ? e.message : String(e)}`,
});

/** Streams chunks into a temp file beside `path`, syncs, then renames it over `path` (never a torn file). */
const writeAtomically = async (path: string, chunks: readonly Uint8Array[]): Promise<void> => {
  const temp = `${path}.${randomUUID()}.tmp`;
  try {
    const handle = await open(temp, "wx");
    try {
      for (const chunk of chunks) {
        let written = 0;
        while (written < chunk.length)
          written += (await handle.write(chunk, written, chunk.length - written)).bytesWritten;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw e;
  }
};

/**
 * Writes `dir/config.json` and `dir/model.safetensors` (creating `dir`). Names and layouts are HF's;
 * tied tensors (`lm_head.weight`, `cls.predictions.decoder.*`) are not stored, as HF's own save drops them.
 * @example await saveCheckpoint("runs/gpt2-tiny/step-1000", { modelType: "gpt2", config, params })();
 */
export const saveCheckpoint =
  (dir: string, checkpoint: Checkpoint): TE.TaskEither<CheckpointError, void> =>
  async () => {
    let chunks: Uint8Array[];
    try {
      chunks = encodeSafetensors(toStateDict(checkpoint.params));
    } catch (e) {
      return E.left({ _tag: "InvalidSafetensors", message: e instanceof Error ? e.message : String(e) });
    }
    try {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, CONFIG_FILE), configJson(checkpoint.modelType, checkpoint.config));
      await writeAtomically(join(dir, WEIGHTS_FILE), chunks);
      return E.right(undefined);
    } catch (e) {
      return E.left(ioError(dir, "write checkpoint to", e));
    }
  };

/**
 * Reads a checkpoint directory written by `saveCheckpoint` or by HF's `save_pretrained` (float32):
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
    let bytes: Uint8Array;
    try {
      bytes = await readFile(weightsPath);
    } catch (e) {
      return E.left(ioError(weightsPath, "read", e));
    }
    const tensors = decodeSafetensors(bytes);
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
