import type { DecoderConfig } from "../config.js";
import { fromByteLevel } from "../unicode/byte-level-alphabet.js";
import { wordPieceDecoder } from "./wordpiece.js";

/** Turns tokens back into text (HF `decoder`). */
export type Decoder = (tokens: readonly string[]) => string;

/** The decoder a `decoder` entry of tokenizer.json describes. */
export const buildDecoder = (config: DecoderConfig): Decoder =>
  config.type === "ByteLevel" ? fromByteLevel : wordPieceDecoder(config.prefix, config.cleanup);
