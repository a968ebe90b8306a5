import type { AddedTokenConfig, TokenizerConfig } from "../config.js";
import { type Tokenizer, tokenizerFromConfig } from "../tokenizer.js";
import { byteLevelAlphabet } from "../unicode/byte-level-alphabet.js";
import { trainBpe } from "./bpe-trainer.js";
import { countWords } from "./word-counts.js";

export interface ByteLevelBpeTrainingOptions {
  /** Total tokens wanted: special tokens + the 256 byte characters + merges. */
  readonly vocabSize: number;
  /** Only merge pairs seen at least this often. Default 2 (as HF's ByteLevelBPETokenizer). */
  readonly minFrequency?: number;
  /** Default ["<|endoftext|>"]; they get ids 0, 1, ... and are never split. */
  readonly specialTokens?: readonly string[];
  /** Prepend a space to each text, so a text's first word is tokenized like any other. Default false. */
  readonly addPrefixSpace?: boolean;
}

export const specialAddedTokens = (specialTokens: readonly string[]): AddedTokenConfig[] =>
  specialTokens.map((content, id) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }));

/**
 * Trains a GPT-2-style byte-level BPE tokenizer: GPT-2's pre-tokenization regex, all 256 bytes in the
 * alphabet (so every string can be encoded, and `decode(encode(s).ids) === s`), then the most frequent
 * pairs merged until `vocabSize`. Special tokens found in the texts are left out of the counts.
 *
 * @example
 * const tok = trainByteLevelBpe(lines, { vocabSize: 8192 });
 * tok.encode("Hello world").tokens; // e.g. ["Hello", "Ġworld"]
 */
export const trainByteLevelBpe = (
  texts: Iterable<string>,
  options: ByteLevelBpeTrainingOptions,
): Tokenizer => {
  const specialTokens = options.specialTokens ?? ["<|endoftext|>"];
  const minimum = specialTokens.length + 256;
  if (!Number.isInteger(options.vocabSize) || options.vocabSize < minimum) {
    throw new RangeError(
      `trainByteLevelBpe: vocabSize ${options.vocabSize} is too small; it needs at least ${minimum} ` +
        `(${specialTokens.length} special tokens + 256 bytes)`,
    );
  }
  const addPrefixSpace = options.addPrefixSpace ?? false;
  const byteLevel = { add_prefix_space: addPrefixSpace, trim_offsets: true, use_regex: true };
  const skeleton = {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: specialAddedTokens(specialTokens),
    normalizer: null,
    pre_tokenizer: { type: "ByteLevel", ...byteLevel },
  } as const;
  const { vocab, merges } = trainBpe(countWords(texts, skeleton), {
    vocabSize: options.vocabSize,
    minFrequency: options.minFrequency ?? 2,
    specialTokens,
    initialAlphabet: byteLevelAlphabet(),
  });
  const config: TokenizerConfig = {
    ...skeleton,
    // As GPT-2's tokenizer.json: the post-processor adds nothing and keeps offsets untrimmed.
    post_processor: { type: "ByteLevel", add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: "BPE",
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: "",
      end_of_word_suffix: "",
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: Object.fromEntries(vocab.map((token, id) => [token, id])),
      merges,
    },
  };
  return tokenizerFromConfig(config);
};
