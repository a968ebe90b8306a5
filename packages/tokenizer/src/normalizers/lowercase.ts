import { codePointAt, unitLength } from "../unicode/char-classes.js";
import { NormalizedBuilder, type Normalizer } from "./normalized-string.js";

/**
 * HF `Lowercase`: each character to its lowercase form, one character at a time (so "Σ" always becomes
 * "σ", never the final "ς", as in Rust's `char::to_lowercase`).
 *
 * @example
 * lowercase("ÀB", false).text; // "àb"
 */
export const lowercase: Normalizer = (text, track) => {
  const out = new NormalizedBuilder(track);
  for (let i = 0; i < text.length; ) {
    const u = unitLength(codePointAt(text, i));
    out.push(text.slice(i, i + u).toLowerCase(), i, i + u);
    i += u;
  }
  return out.build();
};
