/**
 * `generation_config.json`, which transformers' `save_pretrained` writes beside config.json for a
 * model that can generate (GPT2LMHeadModel): the `GenerationConfig` derived from the model config,
 * holding only what differs from GenerationConfig's defaults — for GPT-2 the bos/eos token ids —
 * plus `_from_model_config: true` and `transformers_version`. `model.generate()` and the
 * text-generation pipeline read their defaults from it.
 */
import type { Gpt2Config } from "../models/gpt2/config.js";
import { sortedJson, TRANSFORMERS_VERSION } from "./hf-config.js";

/** The file's name (HF's `GENERATION_CONFIG_NAME`). */
export const GENERATION_CONFIG_FILE = "generation_config.json";

/**
 * The generation_config.json text for a GPT-2, as transformers 4.x writes it (keys sorted, two-space
 * indent): `{ "_from_model_config": true, "bos_token_id": …, "eos_token_id": …, "transformers_version": … }`.
 * `saveCheckpoint` writes it for every GPT-2 checkpoint.
 * @example await writeFile("ckpt/generation_config.json", generationConfigJson(config));
 */
export const generationConfigJson = (config: Gpt2Config): string =>
  sortedJson({
    _from_model_config: true,
    bos_token_id: config.bos_token_id,
    eos_token_id: config.eos_token_id,
    transformers_version: TRANSFORMERS_VERSION,
  });
