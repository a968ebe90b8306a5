/**
 * The tokens of one word: their ids and, flattened, each token's [start, end) in the word's UTF-16 units
 * (two tokens may share a character when a byte-level token ends inside it).
 */
export interface WordTokens {
  readonly ids: readonly number[];
  readonly offsets: readonly number[];
}

/** A subword model (HF `model`): turns one pre-tokenized word into tokens, and maps tokens to ids. */
export interface Model {
  readonly tokenize: (word: string) => WordTokens;
  readonly tokenToId: (token: string) => number | undefined;
  readonly idToToken: (id: number) => string | undefined;
  /** Largest id + 1. */
  readonly vocabSize: number;
}

/** `vocab` as lookup tables both ways. */
export const vocabTables = (vocab: Readonly<Record<string, number>>) => {
  const toId = new Map<string, number>();
  const toToken: string[] = [];
  for (const token of Object.keys(vocab)) {
    const id = vocab[token]!;
    toId.set(token, id);
    toToken[id] = token;
  }
  return { toId, toToken, size: toToken.length };
};
