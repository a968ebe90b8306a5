import type { TokenizerConfig } from "../config.js";
import { type Tokenizer, tokenizerFromConfig } from "../tokenizer.js";
import { trainBpe } from "./bpe-trainer.js";
import { specialAddedTokens } from "./byte-level-bpe.js";
import { countWords } from "./word-counts.js";

export interface WordPieceTrainingOptions {
  /** Total tokens wanted: special tokens + alphabet (with its "##" forms) + merges. */
  readonly vocabSize: number;
  /** Only merge pairs seen at least this often. Default 2 (as HF's BertWordPieceTokenizer). */
  readonly minFrequency?: number;
  /** Default ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]; must include [UNK], [CLS] and [SEP]. */
  readonly specialTokens?: readonly string[];
  /** Keep at most this many distinct characters (the rarest become [UNK]). Default 1000. */
  readonly limitAlphabet?: number;
  /** Lowercase and strip accents (bert-base-uncased); default false (cased). */
  readonly lowercase?: boolean;
}

const UNK = "[UNK]";
const CLS = "[CLS]";
const SEP = "[SEP]";

/**
 * Trains a BERT-style WordPiece tokenizer (cased by default, like bert-base-cased): BertNormalizer,
 * BertPreTokenizer, then HF's WordPiece training, which is BPE training where every character but a
 * word's first is written "##c"; the result is used greedily (longest match first) rather than by
 * merges. Encodings are wrapped as [CLS] ... [SEP].
 *
 * @example
 * const tok = trainWordPiece(lines, { vocabSize: 8192 });
 * tok.encode("Hello world").tokens; // e.g. ["[CLS]", "Hello", "world", "[SEP]"]
 */
export const trainWordPiece = (texts: Iterable<string>, options: WordPieceTrainingOptions): Tokenizer => {
  const specialTokens = options.specialTokens ?? ["[PAD]", UNK, CLS, SEP, "[MASK]"];
  for (const needed of [UNK, CLS, SEP]) {
    if (!specialTokens.includes(needed)) {
      throw new RangeError(
        `trainWordPiece: specialTokens must include ${needed} (got ${specialTokens.join(", ")})`,
      );
    }
  }
  if (!Number.isInteger(options.vocabSize) || options.vocabSize <= specialTokens.length) {
    throw new RangeError(
      `trainWordPiece: vocabSize ${options.vocabSize} leaves no room beyond the special tokens`,
    );
  }
  const lowercase = options.lowercase ?? false;
  const skeleton = {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: specialAddedTokens(specialTokens),
    normalizer: {
      type: "BertNormalizer",
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase,
    },
    pre_tokenizer: { type: "BertPreTokenizer" },
  } as const;
  const { vocab } = trainBpe(countWords(texts, skeleton), {
    vocabSize: options.vocabSize,
    minFrequency: options.minFrequency ?? 2,
    specialTokens,
    limitAlphabet: options.limitAlphabet ?? 1000,
    continuingSubwordPrefix: "##",
  });
  const id = (token: string) => specialTokens.indexOf(token);
  const config: TokenizerConfig = {
    ...skeleton,
    post_processor: {
      type: "TemplateProcessing",
      single: [
        { SpecialToken: { id: CLS, type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: SEP, type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: CLS, type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: SEP, type_id: 0 } },
        { Sequence: { id: "B", type_id: 1 } },
        { SpecialToken: { id: SEP, type_id: 1 } },
      ],
      special_tokens: {
        [CLS]: { id: CLS, ids: [id(CLS)], tokens: [CLS] },
        [SEP]: { id: SEP, ids: [id(SEP)], tokens: [SEP] },
      },
    },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: {
      type: "WordPiece",
      unk_token: UNK,
      continuing_subword_prefix: "##",
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((token, i) => [token, i])),
    },
  };
  return tokenizerFromConfig(config);
};
