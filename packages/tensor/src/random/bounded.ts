/**
 * Unbiased integers in [0, span) from random words, by rejection: `word mod span` alone would favour
 * small residues whenever span does not divide 2^32, so words at or above the largest multiple of span
 * are rejected and redrawn. A redraw for element i at attempt a uses word i of `foldIn(key, a)`, so the
 * result stays a pure function of (key, i) and independent of other elements.
 */
import { foldIn, type Key } from "./key.js";
import { fillStreamWords } from "./threefry.js";

const TWO_32 = 4294967296;

/** Words below this value are accepted for `span`: the largest multiple of span not above 2^32. */
export const acceptLimit = (span: number): number => TWO_32 - (TWO_32 % span);

/**
 * The unbiased value in [0, span) for element `index` whose first word was `word` (0 < span <= 2^32).
 * Rejection is rare (probability < span / 2^32), so redraws are computed one element at a time.
 */
export const boundedIndex = (k: Key, index: number, word: number, span: number, limit: number): number => {
  const one = new Uint32Array(1);
  for (let attempt = 1; word >= limit; attempt++) {
    const retryKey = foldIn(k, attempt);
    fillStreamWords(retryKey[0], retryKey[1], index, one);
    word = one[0]!;
  }
  return word % span;
};
