import type { BpeModelConfig } from "../config.js";
import { codePointAt, unitLength } from "../unicode/char-classes.js";
import { MinHeap } from "./min-heap.js";
import { type Model, vocabTables, type WordTokens } from "./model.js";

/** UTF-8 length of `s.slice(start, end)`. */
const utf8Length = (s: string, start: number, end: number): number => {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < end) {
      n += 4; // a surrogate pair
      i++;
    } else n += 3;
  }
  return n;
};

/**
 * For each byte b of the UTF-8 form of `s`: `start[b]` and `end[b]`, the UTF-16 range in `s` of the
 * character holding it. A byte range [p, q) then covers `s.slice(start[p], end[q - 1])`.
 */
const byteSpans = (s: string): { start: number[]; end: number[] } => {
  const start: number[] = [];
  const end: number[] = [];
  for (let i = 0; i < s.length; ) {
    const u = unitLength(codePointAt(s, i));
    for (let k = utf8Length(s, i, i + u); k > 0; k--) {
      start.push(i);
      end.push(i + u);
    }
    i += u;
  }
  return { start, end };
};

/** Pair (a, b) of ids as one number; ids stay below 2^21. */
const PAIR = 0x200000;
/** Heap keys are rank * POS + position; a word has fewer than 2^27 characters. */
const POS = 0x8000000;

/**
 * A BPE model (HF `BPE`). A word starts as its characters; then, as long as some neighbouring pair has a
 * merge rule, the pair with the best (lowest) rank is merged, leftmost first. This is HF's
 * `Word::merge_all` step for step (a heap of candidate pairs, stale entries skipped), so the result is
 * HF's even for vocabularies where two merge rules produce the same token.
 *
 * @example
 * const bpe = bpeModel({ ...config, vocab: { a: 0, b: 1, ab: 2 }, merges: [["a", "b"]] });
 * bpe.tokenize("abab").ids; // [2, 2]
 */
export const bpeModel = (config: BpeModelConfig): Model => {
  const { toId, toToken, size } = vocabTables(config.vocab);
  const prefix = config.continuing_subword_prefix ?? "";
  const suffix = config.end_of_word_suffix ?? "";
  /** pair -> rank; a pair listed twice keeps its last rank, as HF's HashMap does. */
  const rankOf = new Map<number, number>();
  const newIdOfRank = new Int32Array(config.merges.length);
  config.merges.forEach(([a, b], rank) => {
    const merged = `${a}${b.slice(prefix.length)}`;
    rankOf.set(toId.get(a)! * PAIR + toId.get(b)!, rank);
    newIdOfRank[rank] = toId.get(merged)!;
  });
  const unkId = config.unk_token === null ? undefined : toId.get(config.unk_token);
  const byteFallbackIds: number[] = [];
  if (config.byte_fallback) {
    for (let b = 0; b < 256; b++) {
      byteFallbackIds[b] = toId.get(`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`) ?? -1;
    }
  }

  const tokenize = (word: string): WordTokens => {
    if (word.length === 0) return { ids: [], offsets: [] };
    if (config.ignore_merges) {
      const id = toId.get(word);
      if (id !== undefined) return { ids: [id], offsets: [0, word.length] };
    }
    // Symbols: their ids and UTF-8 lengths (as HF's Word); -1 marks a symbol merged into its left neighbour.
    const ids: number[] = [];
    const lengths: number[] = [];
    let unkLength = 0;
    const flushUnk = () => {
      if (unkLength > 0) {
        ids.push(unkId!);
        lengths.push(unkLength);
        unkLength = 0;
      }
    };
    for (let i = 0; i < word.length; ) {
      const u = unitLength(codePointAt(word, i));
      const end = i + u;
      const bytes = utf8Length(word, i, end);
      let s = word.slice(i, end);
      if (i > 0) s = prefix + s;
      if (end === word.length) s = s + suffix;
      const id = toId.get(s);
      if (id !== undefined) {
        flushUnk();
        ids.push(id);
        lengths.push(bytes);
        i = end;
        continue;
      }
      if (config.byte_fallback) {
        const fallback = Array.from(new TextEncoder().encode(s), (b) => byteFallbackIds[b]!);
        if (fallback.every((f) => f >= 0)) {
          flushUnk();
          for (const f of fallback) {
            ids.push(f);
            lengths.push(1);
          }
          i = end;
          continue;
        }
      }
      if (unkId !== undefined) {
        if (!config.fuse_unk) flushUnk();
        unkLength += bytes;
      }
      i = end;
    }
    flushUnk();
    if (ids.length > 1 && rankOf.size > 0) mergeAll(ids, lengths);
    // Offsets as HF computes them: running sums of the symbols' UTF-8 lengths. They are the true
    // positions, unless characters with no token (and no unknown token) were dropped: then they shift.
    const spans = byteSpans(word);
    const outIds: number[] = [];
    const offsets: number[] = [];
    let position = 0;
    for (let k = 0; k < ids.length; k++) {
      const length = lengths[k]!;
      if (length < 0) continue;
      outIds.push(ids[k]!);
      offsets.push(spans.start[position]!, spans.end[position + length - 1]!);
      position += length;
    }
    return { ids: outIds, offsets };
  };

  /** HF `Word::merge_all`, in place on the symbols (merged-away ones get length -1). */
  const mergeAll = (ids: number[], lengths: number[]) => {
    const n = ids.length;
    const prev = Int32Array.from({ length: n }, (_, k) => k - 1);
    const next = Int32Array.from({ length: n }, (_, k) => (k + 1 < n ? k + 1 : -1));
    const heap = new MinHeap();
    for (let k = 0; k + 1 < n; k++) {
      const rank = rankOf.get(ids[k]! * PAIR + ids[k + 1]!);
      if (rank !== undefined) heap.push(rank * POS + k);
    }
    while (heap.size > 0) {
      const key = heap.pop();
      const rank = Math.floor(key / POS);
      const pos = key - rank * POS;
      const right = next[pos]!;
      if (lengths[pos]! < 0 || right < 0) continue;
      // A stale entry: the pair at `pos` changed since it was queued (HF compares the merged id only).
      const current = rankOf.get(ids[pos]! * PAIR + ids[right]!);
      if (current === undefined || newIdOfRank[current] !== newIdOfRank[rank]) continue;
      ids[pos] = newIdOfRank[rank]!;
      lengths[pos] = lengths[pos]! + lengths[right]!;
      lengths[right] = -1;
      const after = next[right]!;
      next[pos] = after;
      if (after >= 0) prev[after] = pos;
      const before = prev[pos]!;
      if (before >= 0) {
        const r = rankOf.get(ids[before]! * PAIR + ids[pos]!);
        if (r !== undefined) heap.push(r * POS + before);
      }
      if (after >= 0) {
        const r = rankOf.get(ids[pos]! * PAIR + ids[after]!);
        if (r !== undefined) heap.push(r * POS + pos);
      }
    }
  };

  return {
    tokenize,
    tokenToId: (token) => toId.get(token),
    idToToken: (id) => toToken[id],
    vocabSize: size,
  };
};
