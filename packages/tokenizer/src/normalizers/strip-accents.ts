import { COMBINING_MARK, charClasses, codePointAt, unitLength } from "../unicode/char-classes.js";
import { NormalizedBuilder, type Normalizer } from "./normalized-string.js";

/**
 * HF `StripAccents`: drops combining marks (Mn, Mc and Me). It does not decompose first (BertNormalizer's strip_accents
 * does); HF pairs it with an NFD normalizer, which this package does not implement, so precomposed
 * letters such as "é" stay as they are and only combining accents ("e\u0301") lose their mark.
 *
 * @example
 * stripAccents("cafe\u0301 café", false).text; // "cafe café"
 */
export const stripAccents: Normalizer = (text, track) => {
  const table = charClasses();
  const out = new NormalizedBuilder(track);
  let runStart = 0;
  let changed = false;
  for (let i = 0; i < text.length; ) {
    const cp = codePointAt(text, i);
    const u = unitLength(cp);
    if (table[cp]! & COMBINING_MARK) {
      out.pushUnchanged(text, runStart, i);
      runStart = i + u;
      changed = true;
    }
    i += u;
  }
  if (!changed) return { text, align: null };
  out.pushUnchanged(text, runStart, text.length);
  return out.build();
};
