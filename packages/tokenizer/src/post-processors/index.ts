import type { PostProcessorConfig } from "../config.js";
import { byteLevelPostProcessor } from "./byte-level.js";
import type { PostProcessor } from "./post-processor.js";
import { type SpecialTokenEntry, templatePostProcessor } from "./template.js";

export type { PostProcessor } from "./post-processor.js";

/** The post-processor a `post_processor` entry of tokenizer.json describes. */
export const buildPostProcessor = (config: PostProcessorConfig): PostProcessor => {
  switch (config.type) {
    case "ByteLevel":
      return byteLevelPostProcessor({
        trimOffsets: config.trim_offsets,
        addPrefixSpace: config.add_prefix_space,
      });
    case "TemplateProcessing":
      return templatePostProcessor(
        config.single,
        new Map<string, SpecialTokenEntry>(Object.entries(config.special_tokens)),
      );
    case "BertProcessing": {
      const [cls, clsId] = config.cls;
      const [sep, sepId] = config.sep;
      return templatePostProcessor(
        [
          { SpecialToken: { id: cls, type_id: 0 } },
          { Sequence: { id: "A", type_id: 0 } },
          { SpecialToken: { id: sep, type_id: 0 } },
        ],
        new Map([
          [cls, { ids: [clsId], tokens: [cls] }],
          [sep, { ids: [sepId], tokens: [sep] }],
        ]),
      );
    }
  }
};
