import {
  BERT_CONTROL,
  CHINESE,
  charClasses,
  codePointAt,
  NONSPACING_MARK,
  SPACE,
  unitLength,
} from "../unicode/char-classes.js";
import { NormalizedBuilder, type NormalizedString, type Normalizer } from "./normalized-string.js";

export interface BertNormalizerOptions {
  readonly cleanText: boolean;
  readonly handleChineseChars: boolean;
  readonly stripAccents: boolean;
  readonly lowercase: boolean;
}

/**
 * Decomposes `c` (NFD) and drops its nonspacing marks: "é" -> "e". Per character, which equals NFD of
 * the whole text followed by the filter except for the canonical reordering of marks, which are dropped.
 */
export const stripAccentsOf = (c: string): string => {
  const d = c.normalize("NFD");
  if (d.length === 1) return charClasses()[d.charCodeAt(0)]! & NONSPACING_MARK ? "" : d;
  let out = "";
  const table = charClasses();
  for (let i = 0; i < d.length; ) {
    const cp = codePointAt(d, i);
    const u = unitLength(cp);
    if (!(table[cp]! & NONSPACING_MARK)) out += d.slice(i, i + u);
    i += u;
  }
  return out;
};

/**
 * BERT's normalizer (HF `BertNormalizer`), in HF's order: clean the text (drop control characters, turn
 * every whitespace into " "), put spaces around CJK ideographs, strip accents, lowercase. Every step maps
 * one character to zero or more, so the four run in a single pass. bert-base-cased uses
 * `{ cleanText: true, handleChineseChars: true, stripAccents: false, lowercase: false }`.
 *
 * @example
 * bertNormalizer({ cleanText: true, handleChineseChars: true, stripAccents: false, lowercase: false })(
 *   "Héllo\t中文", false).text; // "Héllo  中  文 "
 */
export const bertNormalizer =
  (options: BertNormalizerOptions): Normalizer =>
  (text: string, track: boolean): NormalizedString => {
    const table = charClasses();
    const out = new NormalizedBuilder(track);
    // Characters that stay as they are accumulate in a run [runStart, i), copied in one piece.
    let runStart = 0;
    for (let i = 0; i < text.length; ) {
      const c0 = text.charCodeAt(i);
      if (c0 >= 0x20 && c0 < 0x7f && !(options.lowercase && c0 >= 0x41 && c0 <= 0x5a)) {
        i++;
        continue;
      }
      const cp = codePointAt(text, i);
      const end = i + unitLength(cp);
      const cls = table[cp]!;
      let replacement: string | undefined;
      if (options.cleanText && cls & BERT_CONTROL) replacement = "";
      else if (options.cleanText && cls & SPACE) replacement = c0 === 32 ? undefined : " ";
      else {
        let c = text.slice(i, end);
        if (options.stripAccents) c = stripAccentsOf(c);
        if (options.lowercase) c = c.toLowerCase();
        if (options.handleChineseChars && cls & CHINESE) c = ` ${c} `;
        if (c !== text.slice(i, end)) replacement = c;
      }
      if (replacement !== undefined) {
        out.pushUnchanged(text, runStart, i);
        if (replacement.length > 0) out.push(replacement, i, end);
        runStart = end;
      }
      i = end;
    }
    if (runStart === 0) return { text, align: null };
    out.pushUnchanged(text, runStart, text.length);
    return out.build();
  };
