/**
 * Probes that ask Hugging Face's Rust tokenizers (through the `tokenizers` Node binding) which class a
 * character belongs to. `scripts/generate-unicode-tables.ts` runs them over every code point to build
 * `src/unicode/tables.generated.ts`; `src/unicode/char-classes.test.ts` re-checks a sample.
 */
import { bertNormalizer, bertPreTokenizer, byteLevelPreTokenizer, stripAccentsNormalizer } from "tokenizers";

const byteLevel = byteLevelPreTokenizer(false, true);
const clean = bertNormalizer({
  cleanText: true,
  handleChineseChars: false,
  stripAccents: false,
  lowercase: false,
});
const chinese = bertNormalizer({
  cleanText: false,
  handleChineseChars: true,
  stripAccents: false,
  lowercase: false,
});
const bertStrip = bertNormalizer({
  cleanText: false,
  handleChineseChars: false,
  stripAccents: true,
  lowercase: false,
});
const strip = stripAccentsNormalizer();
const bertSplit = bertPreTokenizer();

/** One probe per class; the order is the order of the generated tables. */
export const hfProbes = {
  /** `\p{L}` in the GPT-2 pre-tokenization regex (oniguruma). */
  letter: (c: string) => byteLevel.preTokenizeString(`a${c}`).length === 1,
  /** `\p{N}` in the GPT-2 regex. */
  number: (c: string) => byteLevel.preTokenizeString(`1${c}`).length === 1,
  /**
   * `\s` in the GPT-2 regex: neither letter, number, nor `[^\s\p{L}\p{N}]`. It is Unicode White_Space,
   * which is also what Rust's `char::is_whitespace` (BERT's whitespace) means.
   */
  space: (c: string) =>
    byteLevel.preTokenizeString(`a${c}`).length !== 1 &&
    byteLevel.preTokenizeString(`1${c}`).length !== 1 &&
    byteLevel.preTokenizeString(`!${c}`).length !== 1,
  /** BertNormalizer clean_text removes it (NUL, U+FFFD, and control/format/private-use characters). */
  bertControl: (c: string) => clean.normalizeString(`a${c}a`) === "aa",
  /** BertPreTokenizer isolates it as punctuation. */
  bertPunctuation: (c: string) => bertSplit.preTokenizeString(`a${c}a`).length === 3,
  /** BertNormalizer handle_chinese_chars pads it with spaces. */
  chinese: (c: string) => chinese.normalizeString(c) === ` ${c} `,
  /** BertNormalizer's strip_accents drops it after NFD (a nonspacing mark, Mn, in HF's older tables). */
  nonspacingMark: (c: string) => c.normalize("NFD") === c && bertStrip.normalizeString(`a${c}`) === "a",
  /** The StripAccents normalizer drops it (any combining mark: Mn, Mc or Me, in HF's newer tables). */
  combiningMark: (c: string) => strip.normalizeString(`a${c}`) === "a",
} as const;

export type HfCharClass = keyof typeof hfProbes;
