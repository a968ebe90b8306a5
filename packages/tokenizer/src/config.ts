/**
 * The `tokenizer.json` format of Hugging Face `tokenizers`, as discriminated unions on `type`. Field names
 * and meanings are HF's, so a parsed file is exactly what HF wrote and `toJson` writes what HF reads. Only
 * the components GPT-2-, BERT- and word-level (WikiText) tokenizers need are supported; see
 * `parseTokenizerJson` for the error an unsupported one gives.
 */

/** An entry of `added_tokens`: a token matched in the raw text before normalization and splitting. */
export interface AddedTokenConfig {
  readonly id: number;
  readonly content: string;
  /** Only match when not inside a word (the neighbours are not `\w`). */
  readonly single_word: boolean;
  /** Also swallow the whitespace on its left. */
  readonly lstrip: boolean;
  /** Also swallow the whitespace on its right. */
  readonly rstrip: boolean;
  /** Match against the normalized text (true) or the raw text (false). */
  readonly normalized: boolean;
  /** A special token: skipped by `decode(ids, { skipSpecialTokens: true })`. */
  readonly special: boolean;
}

export type NormalizerConfig =
  | {
      readonly type: "BertNormalizer";
      /** Remove control characters and turn every whitespace into " ". */
      readonly clean_text: boolean;
      /** Put spaces around CJK ideographs, so each becomes its own word. */
      readonly handle_chinese_chars: boolean;
      /** NFD then drop nonspacing marks; `null` means "same as lowercase". */
      readonly strip_accents: boolean | null;
      readonly lowercase: boolean;
    }
  | { readonly type: "Lowercase" }
  | { readonly type: "StripAccents" }
  | { readonly type: "Sequence"; readonly normalizers: readonly NormalizerConfig[] };

export type PreTokenizerConfig =
  | {
      readonly type: "ByteLevel";
      /** Prepend a space to text that does not start with one, so a first word looks like any other. */
      readonly add_prefix_space: boolean;
      /** Unused by the pre-tokenizer (HF reads it only in the post-processor); kept for round trips. */
      readonly trim_offsets: boolean;
      /** Split with the GPT-2 regex (false: the whole text is one word). */
      readonly use_regex: boolean;
    }
  | { readonly type: "BertPreTokenizer" }
  | { readonly type: "WhitespaceSplit" }
  | { readonly type: "Sequence"; readonly pretokenizers: readonly PreTokenizerConfig[] };

export interface BpeModelConfig {
  readonly type: "BPE";
  readonly dropout: number | null;
  readonly unk_token: string | null;
  readonly continuing_subword_prefix: string | null;
  readonly end_of_word_suffix: string | null;
  readonly fuse_unk: boolean;
  readonly byte_fallback: boolean;
  readonly ignore_merges: boolean;
  /** token -> id. */
  readonly vocab: Readonly<Record<string, number>>;
  /** Merge rules by priority (rank = index). HF also writes them as "a b" strings; we read both. */
  readonly merges: readonly (readonly [string, string])[];
}

export interface WordPieceModelConfig {
  readonly type: "WordPiece";
  readonly unk_token: string;
  readonly continuing_subword_prefix: string;
  /** Longer words (in characters) become a single unknown token. */
  readonly max_input_chars_per_word: number;
  readonly vocab: Readonly<Record<string, number>>;
}

/**
 * A word-level model (HF `WordLevel`): each pre-tokenized word is one token, looked up in `vocab`; a word
 * that is not there is `unk_token`. HF requires both fields but not that `unk_token` be in `vocab`: a
 * closed vocabulary needs none, and only an unknown word then fails to encode.
 */
export interface WordLevelModelConfig {
  readonly type: "WordLevel";
  readonly vocab: Readonly<Record<string, number>>;
  readonly unk_token: string;
}

export type ModelConfig = BpeModelConfig | WordPieceModelConfig | WordLevelModelConfig;

/** One item of a TemplateProcessing template: a special token or the sequence `$A` / `$B`. */
export type TemplatePiece =
  | { readonly SpecialToken: { readonly id: string; readonly type_id: number } }
  | { readonly Sequence: { readonly id: "A" | "B"; readonly type_id: number } };

export type PostProcessorConfig =
  | {
      readonly type: "ByteLevel";
      readonly add_prefix_space: boolean;
      /** Exclude the leading/trailing spaces of each token from its offsets. */
      readonly trim_offsets: boolean;
      readonly use_regex: boolean;
    }
  | {
      readonly type: "TemplateProcessing";
      readonly single: readonly TemplatePiece[];
      readonly pair: readonly TemplatePiece[];
      readonly special_tokens: Readonly<
        Record<
          string,
          { readonly id: string; readonly ids: readonly number[]; readonly tokens: readonly string[] }
        >
      >;
    }
  | {
      readonly type: "BertProcessing";
      readonly sep: readonly [string, number];
      readonly cls: readonly [string, number];
    };

export type DecoderConfig =
  | {
      readonly type: "ByteLevel";
      readonly add_prefix_space: boolean;
      readonly trim_offsets: boolean;
      readonly use_regex: boolean;
    }
  | {
      readonly type: "WordPiece";
      readonly prefix: string;
      /** Undo BERT's spacing around punctuation and English contractions (" ." -> "."). */
      readonly cleanup: boolean;
    };

/** A whole `tokenizer.json`. */
export interface TokenizerConfig {
  readonly version: string;
  /** Kept as read and written back; not applied by `encode` (pad and truncate after encoding). */
  readonly truncation: unknown;
  /** Kept as read and written back; not applied by `encode`. */
  readonly padding: unknown;
  readonly added_tokens: readonly AddedTokenConfig[];
  readonly normalizer: NormalizerConfig | null;
  readonly pre_tokenizer: PreTokenizerConfig | null;
  readonly post_processor: PostProcessorConfig | null;
  readonly decoder: DecoderConfig | null;
  readonly model: ModelConfig;
}
