import type { ModelConfig } from "../config.js";
import { bpeModel } from "./bpe.js";
import type { Model } from "./model.js";
import { wordPieceModel } from "./wordpiece.js";

export type { Model, WordTokens } from "./model.js";

/** The model a `model` entry of tokenizer.json describes. */
export const buildModel = (config: ModelConfig): Model =>
  config.type === "BPE" ? bpeModel(config) : wordPieceModel(config);
