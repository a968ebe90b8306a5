import type { WordPieceModelConfig } from "../config.js";
import { type Model, vocabTables, type WordTokens } from "./model.js";

/** True when `end` would cut the surrogate pair at end-1, end of `s` in two. */
const splitsPair = (s: string, end: number): boolean => {
  const hi = s.charCodeAt(end - 1);
  const lo = s.charCodeAt(end);
  return hi >= 0xd800 && hi < 0xdc00 && lo >= 0xdc00 && lo < 0xe000;
};

/**
 * A WordPiece model (HF `WordPiece`): greedy longest-match-first. From the start of the word, take the
 * longest prefix that is in the vocabulary, then continue after it looking for `##`-prefixed pieces. If
 * some position has no match at all, the whole word is the unknown token, as are words longer than
 * `max_input_chars_per_word` characters.
 *
 * @example
 * const wp = wordPieceModel({ ...config, vocab: { "[UNK]": 0, play: 1, "##ing": 2 } });
 * wp.tokenize("playing").ids; // [1, 2]
 * wp.tokenize("player").ids;  // [0]
 */
export const wordPieceModel = (config: WordPieceModelConfig): Model => {
  const { toId, toToken, size } = vocabTables(config.vocab);
  const prefix = config.continuing_subword_prefix;
  const unkId = toId.get(config.unk_token)!;
  // No vocabulary entry is longer than this, so longer candidates need not be looked up.
  let longest = 0;
  for (const token of toId.keys()) longest = Math.max(longest, token.length);

  const tokenize = (word: string): WordTokens => {
    if (word.length === 0) return { ids: [], offsets: [] };
    const unknown = { ids: [unkId], offsets: [0, word.length] };
    let chars = 0;
    for (let i = 0; i < word.length; i += splitsPair(word, i + 1) ? 2 : 1) chars++;
    if (chars > config.max_input_chars_per_word) return unknown;
    const ids: number[] = [];
    const offsets: number[] = [];
    let start = 0;
    while (start < word.length) {
      let end = Math.min(word.length, start + longest);
      let found: number | undefined;
      while (end > start) {
        if (splitsPair(word, end)) {
          end--;
          continue;
        }
        const piece = start > 0 ? prefix + word.slice(start, end) : word.slice(start, end);
        found = toId.get(piece);
        if (found !== undefined) break;
        end--;
      }
      if (found === undefined) return unknown;
      ids.push(found);
      offsets.push(start, end);
      start = end;
    }
    return { ids, offsets };
  };

  return {
    tokenize,
    tokenToId: (token) => toId.get(token),
    idToToken: (id) => toToken[id],
    vocabSize: size,
  };
};
