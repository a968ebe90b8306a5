import type { ModelConfig } from "../config.js";
import { bpeModel } from "./bpe.js";
import type { Model } from "./model.js";
import { wordLevelModel } from "./word-level.js";
import { wordPieceModel } from "./wordpiece.js";

export type { Model, WordTokens } from "./model.js";

/** The model a `model` entry of tokenizer.json describes. */
export const buildModel = (config: ModelConfig): Model => {
  switch (config.type) {
    case "BPE":
      return bpeModel(config);
    case "WordPiece":
      return wordPieceModel(config);
    case "WordLevel":
      return wordLevelModel(config);
  }
};
