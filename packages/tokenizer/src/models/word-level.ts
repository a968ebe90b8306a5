import type { WordLevelModelConfig } from "../config.js";
import { type Model, vocabTables, type WordTokens } from "./model.js";

/**
 * A word-level model (HF `WordLevel`): the word is one token, its id looked up in the vocabulary; a word
 * that is not there becomes the unknown token. As in HF, a vocabulary without the unknown token is
 * allowed (every word may be known) and encoding an unknown word is then an error, thrown here because
 * `encode` returns no Either (HF: "WordLevel error: Missing [UNK] token from the vocabulary").
 *
 * @example
 * const wl = wordLevelModel({ type: "WordLevel", vocab: { "<unk>": 0, the: 1, cat: 2 }, unk_token: "<unk>" });
 * wl.tokenize("cat").ids; // [2]
 * wl.tokenize("dog").ids; // [0]
 */
export const wordLevelModel = (config: WordLevelModelConfig): Model => {
  const { toId, toToken, size } = vocabTables(config.vocab);
  const unkId = toId.get(config.unk_token);

  const tokenize = (word: string): WordTokens => {
    if (word.length === 0) return { ids: [], offsets: [] };
    const id = toId.get(word) ?? unkId;
    if (id === undefined) {
      throw new RangeError(
        `WordLevel: the word ${JSON.stringify(word)} is not in the vocabulary, and neither is the unknown ` +
          `token ${JSON.stringify(config.unk_token)} (model.unk_token); add it to model.vocab, or train ` +
          `with it among the special tokens`,
      );
    }
    return { ids: [id], offsets: [0, word.length] };
  };

  return {
    tokenize,
    tokenToId: (token) => toId.get(token),
    idToToken: (id) => toToken[id],
    vocabSize: size,
  };
};
