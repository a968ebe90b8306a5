import type { NormalizerConfig } from "../config.js";
import { bertNormalizer } from "./bert-normalizer.js";
import { lowercase } from "./lowercase.js";
import { composeAlignments, type Normalizer } from "./normalized-string.js";
import { stripAccents } from "./strip-accents.js";

export type { NormalizedString, Normalizer } from "./normalized-string.js";

/** The normalizer a `normalizer` entry of tokenizer.json describes. */
export const buildNormalizer = (config: NormalizerConfig): Normalizer => {
  switch (config.type) {
    case "BertNormalizer":
      return bertNormalizer({
        cleanText: config.clean_text,
        handleChineseChars: config.handle_chinese_chars,
        stripAccents: config.strip_accents ?? config.lowercase,
        lowercase: config.lowercase,
      });
    case "Lowercase":
      return lowercase;
    case "StripAccents":
      return stripAccents;
    case "Sequence": {
      const steps = config.normalizers.map(buildNormalizer);
      return (text, track) => {
        let acc = { text, align: null as Int32Array | null };
        for (const step of steps) acc = composeAlignments(acc, step(acc.text, track));
        return acc;
      };
    }
  }
};
