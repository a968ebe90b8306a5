import type { TokenizerConfig } from "../config.js";

const VOCAB_PLACEHOLDER = "\u0000vocab\u0000";

/**
 * The tokenizer.json text for `config`, laid out as Hugging Face writes it (`save(path, pretty=True)`):
 * two-space indentation, HF's key order, and the vocabulary listed by id. (A plain `JSON.stringify` would
 * move integer-like tokens such as "2024" to the front of the vocabulary object.)
 */
export const serializeTokenizerConfig = (config: TokenizerConfig): string => {
  const withPlaceholder = { ...config, model: { ...config.model, vocab: VOCAB_PLACEHOLDER } };
  const text = JSON.stringify(withPlaceholder, null, 2);
  const entries = Object.entries(config.model.vocab).sort((a, b) => a[1] - b[1]);
  const vocab =
    entries.length === 0
      ? "{}"
      : `{\n${entries.map(([token, id]) => `      ${JSON.stringify(token)}: ${id}`).join(",\n")}\n    }`;
  const marker = `\n    "vocab": ${JSON.stringify(VOCAB_PLACEHOLDER)}`;
  const at = text.indexOf(marker);
  return `${text.slice(0, at)}\n    "vocab": ${vocab}${text.slice(at + marker.length)}`;
};
