import type { TokenizerConfig } from "../config.js";
import { buildPipeline } from "../pipeline.js";
import { toByteLevel } from "../unicode/byte-level-alphabet.js";

/**
 * Counts the words of `texts` as the tokenizer described by `config` would see them (added tokens
 * removed, normalized, pre-tokenized): the trainer's input, computed once so that training never
 * re-reads the corpus. For byte-level pre-tokenizers the words are returned in the byte-level alphabet.
 *
 * @example
 * countWords(["the cat", "the hat"], config); // Map { "the" => 2, "Ġcat" => 1, "Ġhat" => 1 }
 */
export const countWords = (
  texts: Iterable<string>,
  config: Omit<TokenizerConfig, "model" | "post_processor" | "decoder">,
): Map<string, number> => {
  const pipeline = buildPipeline(config);
  const counts = new Map<string, number>();
  const visitor = {
    added() {},
    word(word: string) {
      counts.set(word, (counts.get(word) ?? 0) + 1);
    },
  };
  for (const text of texts) pipeline.walk(text, false, visitor);
  if (!pipeline.byteLevel) return counts;
  const bytes = new Map<string, number>();
  for (const [word, count] of counts) {
    const b = toByteLevel(word);
    bytes.set(b, (bytes.get(b) ?? 0) + count);
  }
  return bytes;
};
