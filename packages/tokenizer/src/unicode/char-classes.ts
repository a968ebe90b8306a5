/**
 * Character classes exactly as Hugging Face's tokenizers see them, one bit per class in a table indexed by
 * code point. The ranges are measured from the HF library (see `scripts/generate-unicode-tables.ts` for
 * why JavaScript's own `\p{...}` would not do).
 */
import {
  bertControlRanges,
  bertPunctuationRanges,
  chineseRanges,
  combiningMarkRanges,
  letterRanges,
  nonspacingMarkRanges,
  numberRanges,
  spaceRanges,
} from "./tables.generated.js";

/** `\p{L}` of the GPT-2 regex. */
export const LETTER = 1;
/** `\p{N}` of the GPT-2 regex. */
export const NUMBER = 2;
/** Unicode White_Space: `\s` of the GPT-2 regex and Rust's `char::is_whitespace`. */
export const SPACE = 4;
/** Removed by BertNormalizer's clean_text (NUL, U+FFFD, control, format and private-use characters). */
export const BERT_CONTROL = 8;
/** Isolated by BertPreTokenizer (ASCII punctuation and Unicode P*). */
export const BERT_PUNCTUATION = 16;
/** Padded with spaces by BertNormalizer's handle_chinese_chars (the CJK ideograph blocks). */
export const CHINESE = 32;
/** Dropped by BertNormalizer's strip_accents after NFD (Mn). */
export const NONSPACING_MARK = 64;
/** Dropped by the StripAccents normalizer (Mn, Mc, Me). */
export const COMBINING_MARK = 128;

let table: Uint8Array | undefined;

const build = (): Uint8Array => {
  const t = new Uint8Array(0x110000);
  const fill = (ranges: readonly number[], bit: number) => {
    for (let i = 0; i < ranges.length; i += 2) {
      for (let cp = ranges[i]!; cp <= ranges[i + 1]!; cp++) t[cp]! |= bit;
    }
  };
  fill(letterRanges, LETTER);
  fill(numberRanges, NUMBER);
  fill(spaceRanges, SPACE);
  fill(bertControlRanges, BERT_CONTROL);
  fill(bertPunctuationRanges, BERT_PUNCTUATION);
  fill(chineseRanges, CHINESE);
  fill(nonspacingMarkRanges, NONSPACING_MARK);
  fill(combiningMarkRanges, COMBINING_MARK);
  // Lone surrogates reach HF as U+FFFD (JS strings are converted to UTF-8 lossily), so they take its classes.
  for (let cp = 0xd800; cp <= 0xdfff; cp++) t[cp] = t[0xfffd]!;
  return t;
};

/**
 * The class table: `charClasses()[codePoint] & LETTER` etc. Built once on first use (1.1 MB); it is a pure
 * function of the generated ranges.
 */
export const charClasses = (): Uint8Array => {
  table ??= build();
  return table;
};

/**
 * The code point at UTF-16 index `i` of `s` (a lone surrogate stands for itself), like `codePointAt` but
 * without the `undefined` case.
 */
export const codePointAt = (s: string, i: number): number => {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d < 0xe000) return (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000;
  }
  return c;
};

/** Number of UTF-16 units of code point `cp`. */
export const unitLength = (cp: number): number => (cp >= 0x10000 ? 2 : 1);
