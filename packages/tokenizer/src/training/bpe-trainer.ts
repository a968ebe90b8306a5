/**
 * The BPE trainer, following Hugging Face's `BpeTrainer` step for step so that, on the same word counts,
 * it learns the same vocabulary and merges (ties between equally frequent pairs go to the pair of smaller
 * ids, as in HF). WordPiece training is this trainer with a continuing-subword prefix ("##").
 *
 * The speed comes from never recounting: pair counts are computed once, and each merge only visits the
 * words that contain the merged pair (an index pair -> words), adjusting the counts of the pairs around
 * each occurrence. The next merge comes from a priority queue whose stale entries (a count that has gone
 * down since it was queued) are refreshed when they reach the top.
 */

export interface BpeTrainerOptions {
  /** Stop when the vocabulary (special tokens + alphabet + merges) has this many tokens. */
  readonly vocabSize: number;
  /** Do not merge pairs seen fewer times than this. */
  readonly minFrequency: number;
  /** Tokens given the first ids, in order. */
  readonly specialTokens: readonly string[];
  /** Keep only the most frequent characters in the alphabet (words lose the others). */
  readonly limitAlphabet?: number;
  /** Characters to put in the alphabet even if unseen (the 256 byte-level characters, for GPT-2). */
  readonly initialAlphabet?: readonly string[];
  /** Marks tokens that continue a word ("##" for WordPiece). */
  readonly continuingSubwordPrefix?: string;
}

export interface BpeTrainingResult {
  /** Token of each id. */
  readonly vocab: readonly string[];
  /** Merge rules by rank. */
  readonly merges: readonly (readonly [string, string])[];
}

/** Pair (a, b) of ids as one number; ids stay below 2^21. */
const PAIR = 0x200000;

interface QueuedPair {
  pair: number;
  count: number;
  /** Words that contain (or contained) the pair when it was queued. */
  words: Set<number>;
}

/** Pops the most frequent pair; among equals, the smallest (a, b). */
class PairQueue {
  private readonly items: QueuedPair[] = [];
  get size(): number {
    return this.items.length;
  }
  private static before(x: QueuedPair, y: QueuedPair): boolean {
    return x.count > y.count || (x.count === y.count && x.pair < y.pair);
  }
  push(x: QueuedPair): void {
    const a = this.items;
    let i = a.length;
    a.push(x);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!PairQueue.before(x, a[parent]!)) break;
      a[i] = a[parent]!;
      i = parent;
    }
    a[i] = x;
  }
  pop(): QueuedPair {
    const a = this.items;
    const top = a[0]!;
    const last = a.pop()!;
    const n = a.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && PairQueue.before(a[child + 1]!, a[child]!)) child++;
        if (!PairQueue.before(a[child]!, last)) break;
        a[i] = a[child]!;
        i = child;
      }
      a[i] = last;
    }
    return top;
  }
}

/**
 * Learns BPE merges from word counts (each word already pre-tokenized, and in the byte-level alphabet
 * for byte-level BPE).
 *
 * @example
 * trainBpe(new Map([["hug", 10], ["pug", 5], ["hugs", 5]]), { vocabSize: 8, minFrequency: 1, specialTokens: [] });
 * // { vocab: ["g", "h", "p", "s", "u", "ug", "hug", "pug"], merges: [["u", "g"], ["h", "ug"], ["p", "ug"]] }
 */
export const trainBpe = (
  wordCounts: ReadonlyMap<string, number>,
  options: BpeTrainerOptions,
): BpeTrainingResult => {
  if (options.vocabSize >= PAIR) {
    throw new RangeError(`trainBpe: vocabSize ${options.vocabSize} is too large; the limit is ${PAIR - 1}`);
  }
  const prefix = options.continuingSubwordPrefix;
  const idOf = new Map<string, number>();
  const tokenOf: string[] = [];
  const addToken = (token: string): number => {
    let id = idOf.get(token);
    if (id === undefined) {
      id = tokenOf.length;
      idOf.set(token, id);
      tokenOf.push(token);
    }
    return id;
  };

  // 1. Special tokens first.
  for (const token of options.specialTokens) addToken(token);

  // 2. The alphabet: every character seen (weighted by word counts), plus the initial alphabet; limited to
  // the most frequent characters if asked, then added in code point order.
  const charCounts = new Map<number, number>();
  for (const [word, count] of wordCounts) {
    for (const ch of word) {
      const cp = ch.codePointAt(0)!;
      charCounts.set(cp, (charCounts.get(cp) ?? 0) + count);
    }
  }
  for (const ch of options.initialAlphabet ?? [])
    charCounts.set(ch.codePointAt(0)!, Number.POSITIVE_INFINITY);
  let kept = [...charCounts.entries()];
  const limit = options.limitAlphabet;
  if (limit !== undefined && kept.length > limit) {
    // HF's unstable sort leaves ties in no particular order; we drop the rarest, lowest code points first.
    kept.sort((x, y) => x[1] - y[1] || x[0] - y[0]);
    kept = kept.slice(kept.length - limit);
  }
  kept.sort((x, y) => x[0] - y[0]);
  for (const [cp] of kept) addToken(String.fromCodePoint(cp));

  // 3. Each word as a sequence of ids; characters left out of the alphabet are dropped. With a prefix,
  // every character but the first is its own "##c" token.
  const words: number[][] = [];
  const counts: number[] = [];
  for (const [word, count] of wordCounts) {
    const chars = Array.from(word);
    const symbols: number[] = [];
    chars.forEach((ch, i) => {
      if (!idOf.has(ch)) return;
      symbols.push(addToken(i > 0 && prefix !== undefined ? prefix + ch : ch));
    });
    words.push(symbols);
    counts.push(count);
  }

  // 4. Count pairs, remembering which words hold each.
  const pairCounts = new Map<number, number>();
  const pairWords = new Map<number, Set<number>>();
  const noteWord = (pair: number, w: number) => {
    let set = pairWords.get(pair);
    if (set === undefined) {
      set = new Set();
      pairWords.set(pair, set);
    }
    set.add(w);
  };
  words.forEach((symbols, w) => {
    for (let k = 0; k + 1 < symbols.length; k++) {
      const pair = symbols[k]! * PAIR + symbols[k + 1]!;
      pairCounts.set(pair, (pairCounts.get(pair) ?? 0) + counts[w]!);
      noteWord(pair, w);
    }
  });
  const queue = new PairQueue();
  const enqueueNoted = () => {
    for (const [pair, set] of pairWords) {
      const count = pairCounts.get(pair)!;
      if (count > 0) queue.push({ pair, count, words: set });
    }
    pairWords.clear();
  };
  enqueueNoted();

  // 5. Merge the best pair until the vocabulary is full.
  const merges: [number, number][] = [];
  while (idOf.size < options.vocabSize && queue.size > 0) {
    const top = queue.pop();
    const current = pairCounts.get(top.pair)!;
    if (top.count !== current) {
      top.count = current;
      queue.push(top);
      continue;
    }
    if (top.count < 1 || options.minFrequency > top.count) break;
    const a = Math.floor(top.pair / PAIR);
    const b = top.pair - a * PAIR;
    let partB = tokenOf[b]!;
    if (prefix !== undefined && partB.startsWith(prefix)) partB = partB.slice(prefix.length);
    const merged = addToken(tokenOf[a]! + partB);
    merges.push([a, b]);
    for (const w of top.words) {
      const weight = counts[w]!;
      mergeWord(words[w]!, a, b, merged, (pair, change) => {
        pairCounts.set(pair, (pairCounts.get(pair) ?? 0) + change * weight);
        if (change > 0) noteWord(pair, w);
      });
    }
    enqueueNoted();
  }

  // A pair merged twice (possible when two pairs spell the same token) keeps its last rank, as in HF.
  const lastRank = new Map<number, number>();
  merges.forEach(([a, b], rank) => {
    lastRank.set(a * PAIR + b, rank);
  });
  return {
    vocab: tokenOf,
    merges: merges
      .filter(([a, b], rank) => lastRank.get(a * PAIR + b) === rank)
      .map(([a, b]) => [tokenOf[a]!, tokenOf[b]!] as const),
  };
};

/**
 * Replaces each non-overlapping (a, b), left to right, with `merged` in `symbols`, reporting the pair
 * counts that change: the pairs the occurrence formed with its neighbours lose one, the new pairs with
 * `merged` gain one (HF's `Word::merge`).
 */
const mergeWord = (
  symbols: number[],
  a: number,
  b: number,
  merged: number,
  change: (pair: number, delta: number) => void,
): void => {
  const n = symbols.length;
  let w = 0;
  for (let r = 0; r < n; ) {
    if (symbols[r] === a && r + 1 < n && symbols[r + 1] === b) {
      if (w > 0) {
        const before = symbols[w - 1]!;
        change(before * PAIR + a, -1);
        change(before * PAIR + merged, 1);
      }
      if (r + 2 < n) {
        const after = symbols[r + 2]!;
        change(b * PAIR + after, -1);
        change(merged * PAIR + after, 1);
      }
      symbols[w++] = merged;
      r += 2;
    } else {
      symbols[w++] = symbols[r++]!;
    }
  }
  symbols.length = w;
};
