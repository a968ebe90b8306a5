import type { TokenizerConfig } from "../config.js";
import { type Tokenizer, tokenizerFromConfig } from "../tokenizer.js";
import { countWords } from "./word-counts.js";
import { checkWordLevelVocabSize, trainWordLevelVocabulary, wordLevelSkeleton } from "./word-level.js";

export interface WikitextWordLevelOptions {
  /** Keep at most this many tokens (the most frequent words). Default: no cap, every word of the texts. */
  readonly vocabSize?: number;
}

const EOS = "<eos>";
const UNK = "<unk>";

/**
 * The classic word-level WikiText-2 tokenizer (the benchmark's 33,278-word vocabulary on wikitext-2-v1):
 * each text (one row = one line of the file) is split on whitespace, every word is one token, and one
 * `<eos>` ends every row, empty rows included, so a split's token count is its words plus its lines, as
 * in the PyTorch word-language-model reference. Saved as a standard HF tokenizer.json: `WhitespaceSplit`,
 * `WordLevel` with `unk_token` "<unk>", `TemplateProcessing` "$A <eos>", no decoder (tokens joined by
 * spaces).
 *
 * Ids: `<eos>` is 0 (the one special token), then the words by frequency. `<unk>` is an ordinary word:
 * WikiText-2 v1 already writes rare words as `<unk>`, and it gets its id by frequency like any other.
 * When the texts never contain it (wikitext-2-raw-v1) or a `vocabSize` cap would drop it, it is given
 * id 1 so that unseen words still encode.
 *
 * @example
 * const tok = trainWikitextWordLevel(["", " = Tower = \n", " the tower was <unk> . \n"]);
 * tok.encode(" the tower fell . \n").tokens; // ["the", "tower", "<unk>", ".", "<eos>"]
 * tok.encode("").ids;                        // [0]: an empty row is one <eos>
 * tok.vocabSize;                             // 8: <eos> and the 7 words
 */
export const trainWikitextWordLevel = (
  texts: Iterable<string>,
  options: WikitextWordLevelOptions = {},
): Tokenizer => {
  const vocabSize = checkWordLevelVocabSize("trainWikitextWordLevel", options.vocabSize, 2);
  const skeleton = wordLevelSkeleton([EOS]);
  const counts = countWords(texts, skeleton);
  const train = (specialTokens: readonly string[]) =>
    trainWordLevelVocabulary(counts, { vocabSize, minFrequency: 0, specialTokens });
  let vocab = train([EOS]);
  if (!vocab.includes(UNK)) vocab = train([EOS, UNK]);
  const config: TokenizerConfig = {
    ...skeleton,
    post_processor: {
      type: "TemplateProcessing",
      single: [{ Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: EOS, type_id: 0 } }],
      pair: [
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: EOS, type_id: 0 } },
        { Sequence: { id: "B", type_id: 1 } },
        { SpecialToken: { id: EOS, type_id: 1 } },
      ],
      special_tokens: { [EOS]: { id: EOS, ids: [0], tokens: [EOS] } },
    },
    decoder: null,
    model: {
      type: "WordLevel",
      vocab: Object.fromEntries(vocab.map((token, id) => [token, id])),
      unk_token: UNK,
    },
  };
  return tokenizerFromConfig(config);
};
