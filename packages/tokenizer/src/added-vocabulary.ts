import type { AddedTokenConfig } from "./config.js";
import { charClasses, codePointAt, SPACE } from "./unicode/char-classes.js";

/** A piece of text: either an added token (`id` >= 0) or plain text for the pipeline (`id` = -1). */
export interface Segment {
  readonly start: number;
  readonly end: number;
  readonly id: number;
}

/** Finds added tokens in text, with HF's rules; one matcher per set of tokens (raw or normalized). */
export type AddedTokenMatcher = (text: string) => Segment[];

// Rust regex's Unicode `\w`, which HF's single_word rule uses.
const WORD_CHAR = /[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]/u;

const isSpaceAt = (text: string, i: number) => (charClasses()[codePointAt(text, i)]! & SPACE) !== 0;

const lastCodePointBefore = (text: string, i: number): string => {
  const lo = text.charCodeAt(i - 1);
  const hi = text.charCodeAt(i - 2);
  return lo >= 0xdc00 && lo < 0xe000 && hi >= 0xd800 && hi < 0xdc00
    ? text.slice(i - 2, i)
    : text.slice(i - 1, i);
};

/**
 * A matcher for `tokens`, where `patterns[k]` is the text that stands for `tokens[k]` (its content, or
 * its normalized content for tokens with `normalized: true`). Like HF (an Aho-Corasick automaton with
 * leftmost-longest semantics): scanning left to right, the earliest match wins, the longest among those
 * starting at the same place; matches never overlap. A `single_word` token is skipped inside a word;
 * `lstrip`/`rstrip` make it swallow the whitespace around it.
 */
export const addedTokenMatcher = (
  tokens: readonly AddedTokenConfig[],
  patterns: readonly string[],
): AddedTokenMatcher => {
  const order = tokens
    .map((token, k) => ({ token, pattern: patterns[k]! }))
    .filter((t) => t.pattern.length > 0)
    .sort((a, b) => b.pattern.length - a.pattern.length);
  if (order.length === 0)
    return (text) => (text.length === 0 ? [] : [{ start: 0, end: text.length, id: -1 }]);
  return (text) => {
    const segments: Segment[] = [];
    // next[k]: where pattern k next occurs at or after `from` (-1: nowhere)
    const next = order.map((t) => text.indexOf(t.pattern));
    let from = 0;
    let emitted = 0;
    for (;;) {
      let best = -1;
      for (let k = 0; k < order.length; k++) {
        if (next[k]! >= 0 && next[k]! < from) next[k] = text.indexOf(order[k]!.pattern, from);
        if (next[k]! >= 0 && (best < 0 || next[k]! < next[best]!)) best = k; // longer patterns come first
      }
      if (best < 0) break;
      const { token, pattern } = order[best]!;
      let start = next[best]!;
      let stop = start + pattern.length;
      from = stop;
      if (token.single_word) {
        const wordBefore = start > 0 && WORD_CHAR.test(lastCodePointBefore(text, start));
        const wordAfter = stop < text.length && WORD_CHAR.test(String.fromCodePoint(codePointAt(text, stop)));
        if (wordBefore || wordAfter) continue;
      }
      if (token.lstrip) {
        while (start > emitted && isSpaceAt(text, start - 1)) start--;
      }
      // The search goes on from the end of the match itself, even when rstrip swallowed more (as in HF).
      if (token.rstrip) while (stop < text.length && isSpaceAt(text, stop)) stop++;
      if (emitted < start) segments.push({ start: emitted, end: start, id: -1 });
      segments.push({ start, end: stop, id: token.id });
      emitted = stop;
    }
    if (emitted < text.length) segments.push({ start: emitted, end: text.length, id: -1 });
    return segments;
  };
};
