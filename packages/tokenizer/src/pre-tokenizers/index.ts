import type { PreTokenizerConfig } from "../config.js";
import { bertPreTokenizer } from "./bert.js";
import { byteLevelPreTokenizer } from "./byte-level.js";
import type { PreTokenizer } from "./pre-tokenizer.js";
import { whitespaceSplitPreTokenizer } from "./whitespace-split.js";

export type { PreTokenizer, WordSink } from "./pre-tokenizer.js";

/**
 * The pre-tokenizer a `pre_tokenizer` entry of tokenizer.json describes. In a `Sequence`, each step splits
 * the words of the previous one; a ByteLevel step must come last (HF would feed the later steps its
 * byte-level text, which this implementation does not reproduce; `parseTokenizerJson` rejects it).
 */
export const buildPreTokenizer = (config: PreTokenizerConfig): PreTokenizer => {
  switch (config.type) {
    case "ByteLevel":
      return byteLevelPreTokenizer({ addPrefixSpace: config.add_prefix_space, useRegex: config.use_regex });
    case "BertPreTokenizer":
      return bertPreTokenizer;
    case "WhitespaceSplit":
      return whitespaceSplitPreTokenizer;
    case "Sequence": {
      const steps = config.pretokenizers.map(buildPreTokenizer);
      const wholeText: PreTokenizer["split"] = (text, sink) => {
        if (text.length > 0) sink(0, text.length);
      };
      const split = steps
        .map((step) => step.split)
        .reduce<PreTokenizer["split"]>(
          (outer, inner) => (text, sink) =>
            outer(text, (s, e) => inner(text.slice(s, e), (s2, e2) => sink(s + s2, s + e2))),
          wholeText,
        );
      return {
        split,
        byteLevel: steps.some((s) => s.byteLevel),
        addPrefixSpace: steps.some((s) => s.addPrefixSpace),
      };
    }
  }
};
