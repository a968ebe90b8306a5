import type { TokenizerConfig } from "../config.js";
import { type Tokenizer, tokenizerFromConfig } from "../tokenizer.js";
import { specialAddedTokens } from "./byte-level-bpe.js";
import { countWords } from "./word-counts.js";

export interface WordLevelTrainerOptions {
  /** Keep at most this many tokens, special tokens included (`Infinity`: every word). */
  readonly vocabSize: number;
  /** Leave out words seen fewer times than this. */
  readonly minFrequency: number;
  /** Tokens given the first ids, in order. */
  readonly specialTokens: readonly string[];
}

/**
 * Compares two strings by code points, which is Rust's `str` order (UTF-8 bytes); JavaScript's `<`
 * compares UTF-16 units, which puts U+10000 and above (surrogate pairs) before U+E000..U+FFFF.
 */
export const compareCodePoints = (a: string, b: string): number => {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x < 0xd800 || y < 0xd800) return x - y;
    // both are surrogates or U+E000..U+FFFF: move the surrogates above the rest of the BMP
    return (x >= 0xe000 ? x - 0x800 : x + 0x2000) - (y >= 0xe000 ? y - 0x800 : y + 0x2000);
  }
  return a.length - b.length;
};

/**
 * HF's `WordLevelTrainer`: the special tokens first, then the words seen at least `minFrequency` times,
 * most frequent first (ties in code point order of the word, as HF sorts), cut at `vocabSize`. Returns
 * the token of each id. Unlike HF, a word equal to a special token, or a special token listed twice, keeps
 * its first id (HF would give it a second id and leave a hole in the ids).
 *
 * @example
 * trainWordLevelVocabulary(new Map([["the", 3], ["cat", 1], ["a", 1]]), {
 *   vocabSize: Infinity,
 *   minFrequency: 0,
 *   specialTokens: ["<unk>"],
 * }); // ["<unk>", "the", "a", "cat"]
 */
export const trainWordLevelVocabulary = (
  wordCounts: ReadonlyMap<string, number>,
  options: WordLevelTrainerOptions,
): string[] => {
  const specials = [...new Set(options.specialTokens)];
  const isSpecial = new Set(specials);
  const words = [...wordCounts].filter(([word, n]) => n >= options.minFrequency && !isSpecial.has(word));
  words.sort((a, b) => b[1] - a[1] || compareCodePoints(a[0], b[0]));
  const vocab = [...specials, ...words.map(([word]) => word)];
  return Number.isFinite(options.vocabSize) ? vocab.slice(0, options.vocabSize) : vocab;
};

export interface WordLevelTrainingOptions {
  /** Keep at most this many tokens, special tokens included. Default: no cap (every word). */
  readonly vocabSize?: number;
  /** Leave out words seen fewer times than this. Default 0 (HF's): every word. */
  readonly minFrequency?: number;
  /** Default ["<unk>"]; they get ids 0, 1, ... and are added tokens: never split, and skipped by
   * `decode(ids, { skipSpecialTokens: true })`. */
  readonly specialTokens?: readonly string[];
  /** The token of unknown words (HF `unk_token`). Default "<unk>". */
  readonly unkToken?: string;
}

/** Checks a word-level `vocabSize` (a positive integer above the special tokens, or no cap). */
export const checkWordLevelVocabSize = (
  caller: string,
  vocabSize: number | undefined,
  specialTokens: number,
): number => {
  const size = vocabSize ?? Number.POSITIVE_INFINITY;
  if (size !== Number.POSITIVE_INFINITY && (!Number.isInteger(size) || size <= specialTokens)) {
    throw new RangeError(
      `${caller}: vocabSize ${vocabSize} leaves no room beyond the ${specialTokens} special token(s); ` +
        "give a larger integer, or none for every word",
    );
  }
  return size;
};

/** What a word-level tokenizer.json holds before its vocabulary and post-processor. */
export const wordLevelSkeleton = (specialTokens: readonly string[]) =>
  ({
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: specialAddedTokens(specialTokens),
    normalizer: null,
    pre_tokenizer: { type: "WhitespaceSplit" },
  }) as const;

/**
 * Trains a word-level tokenizer (HF `WordLevel` model with its `WordLevelTrainer`): texts are split on
 * whitespace (`WhitespaceSplit`) and every word becomes one token; the vocabulary is the special tokens
 * then the words by frequency. Words not in the vocabulary encode as `unkToken`. There is no
 * post-processor and no decoder, so `decode` joins the tokens with spaces, as HF does with `decoder: null`.
 * Special tokens found in the texts are not counted as words.
 *
 * @example
 * const tok = trainWordLevel(["the cat sat", "the dog"]);
 * tok.encode("the cat ran").tokens; // ["the", "cat", "<unk>"]
 * tok.decode(tok.encode("the  cat").ids); // "the cat"
 */
export const trainWordLevel = (
  texts: Iterable<string>,
  options: WordLevelTrainingOptions = {},
): Tokenizer => {
  const specialTokens = options.specialTokens ?? ["<unk>"];
  const vocabSize = checkWordLevelVocabSize("trainWordLevel", options.vocabSize, specialTokens.length);
  const skeleton = wordLevelSkeleton(specialTokens);
  const vocab = trainWordLevelVocabulary(countWords(texts, skeleton), {
    vocabSize,
    minFrequency: options.minFrequency ?? 0,
    specialTokens,
  });
  const config: TokenizerConfig = {
    ...skeleton,
    post_processor: null,
    decoder: null,
    model: {
      type: "WordLevel",
      vocab: Object.fromEntries(vocab.map((token, id) => [token, id])),
      unk_token: options.unkToken ?? "<unk>",
    },
  };
  return tokenizerFromConfig(config);
};
