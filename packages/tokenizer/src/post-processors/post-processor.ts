import type { Encoding } from "../encoding.js";

/**
 * Adds special tokens and adjusts offsets after the model (HF `post_processor`); `text` is the input
 * that was encoded.
 */
export type PostProcessor = (encoding: Encoding, addSpecialTokens: boolean, text: string) => Encoding;
