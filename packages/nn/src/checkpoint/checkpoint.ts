/**
 * A checkpoint as Hugging Face's `save_pretrained` lays it out, independent of where the files live:
 * the text files (`config.json`, and for GPT-2 `generation_config.json`), the weights as raw
 * safetensors records, and the way back from a parsed config.json plus weights to parameters. The file
 * system (./files.ts, Node) and Blobs (./blobs.ts, anywhere) both build on these.
 */
import type { io } from "@scratchgrad/tensor";
import * as E from "fp-ts/lib/Either.js";
import { pipe } from "fp-ts/lib/function.js";
import type { BertConfig } from "../models/bert/config.js";
import { type BertParams, bertSpec } from "../models/bert/model.js";
import type { Gpt2Config } from "../models/gpt2/config.js";
import { type Gpt2Params, gpt2Spec } from "../models/gpt2/model.js";
import type { CheckpointError } from "./errors.js";
import { GENERATION_CONFIG_FILE, generationConfigJson } from "./generation-config.js";
import { configJson, parseConfigJson } from "./hf-config.js";
import { BERT_LOAD_RULES, GPT2_LOAD_RULES } from "./hf-names.js";
import { fromStateDict, type HostTensor, toRawTensors, toStateDict } from "./state-dict.js";

/** A model's identity, configuration and parameters: what a checkpoint directory holds. */
export type Checkpoint =
  | { readonly modelType: "gpt2"; readonly config: Gpt2Config; readonly params: Gpt2Params }
  | { readonly modelType: "bert"; readonly config: BertConfig; readonly params: BertParams };

/** The configuration file of a checkpoint directory (HF's name). */
export const CONFIG_FILE = "config.json";
/** The weights file of a checkpoint directory (HF's name for single-file safetensors). */
export const WEIGHTS_FILE = "model.safetensors";
/** The index of a sharded checkpoint (HF's `SAFE_WEIGHTS_INDEX_NAME`). */
export const WEIGHTS_INDEX_FILE = "model.safetensors.index.json";

/**
 * The checkpoint's text files by name: `config.json`, and for GPT-2 `generation_config.json`.
 * @example checkpointTextFiles(ckpt).get("config.json") // '{\n  "activation_function": "gelu_new", ...'
 */
export const checkpointTextFiles = (checkpoint: Checkpoint): ReadonlyMap<string, string> => {
  const files = new Map([[CONFIG_FILE, configJson(checkpoint.modelType, checkpoint.config)]]);
  if (checkpoint.modelType === "gpt2")
    files.set(GENERATION_CONFIG_FILE, generationConfigJson(checkpoint.config));
  return files;
};

/**
 * The weights as safetensors records under HF's names, and the file's metadata. Tied tensors
 * (`lm_head.weight`, `cls.predictions.decoder.*`) are left out, as HF's own save drops them; the metadata
 * is `{ format: "pt" }`, as HF's writer adds it (transformers refuses archives without a known format).
 */
export const checkpointTensors = (
  checkpoint: Checkpoint,
): {
  readonly tensors: Record<string, io.RawTensorInput>;
  readonly metadata: Readonly<Record<string, string>>;
} => ({ tensors: toRawTensors(toStateDict(checkpoint.params)), metadata: { format: "pt" } });

/**
 * Parameters from a parsed config.json and the weights' tensors by HF name: config.json chooses the
 * architecture; every tensor is checked by name and shape, and tied copies against what they are tied to.
 */
export const checkpointFromParts = (
  configJsonValue: unknown,
  tensors: ReadonlyMap<string, HostTensor>,
): E.Either<CheckpointError, Checkpoint> => {
  const parsed = parseConfigJson(configJsonValue);
  if (E.isLeft(parsed)) return parsed;
  const p = parsed.right;
  if (p.modelType === "gpt2") {
    return pipe(
      fromStateDict(gpt2Spec(p.config), tensors, GPT2_LOAD_RULES),
      E.map((params): Checkpoint => ({ ...p, params })),
    );
  }
  return pipe(
    fromStateDict(bertSpec(p.config), tensors, BERT_LOAD_RULES),
    E.map((params): Checkpoint => ({ ...p, params })),
  );
};
