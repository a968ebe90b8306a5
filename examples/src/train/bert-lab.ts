/**
 * train:bert's lab definition (flags, tokenizer, model), Node-free so the playground runs the same
 * definition in a browser. See train-bert.ts for what the script does.
 */
import { BERT_DEFAULTS, BERT_PRESETS, type BertConfig, bertConfig } from "@scratchgrad/nn";
import { trainWordPiece } from "@scratchgrad/tokenizer";
import type { FlagSpecs } from "../cli/flags.js";
import { labFlags } from "./lab-arguments.js";
import { contextLength, type LabDefinition } from "./lab-definition.js";

const models = ["bert-small-cpu", ...Object.keys(BERT_PRESETS).filter((m) => m !== "bert-small-cpu")];

const flags = {
  ...labFlags({
    model: "bert-small-cpu",
    models,
    epochs: 2.2,
    lr: 1e-3,
    vocab: 8192,
    outputDir: "output/bert-wikitext2",
    warmupRatio: 0.05,
  }),
  "mlm-probability": {
    type: "float",
    default: 0.15,
    positive: true,
    below: 1,
    help: "Share of tokens masked for the MLM loss (80% [MASK], 10% random, 10% kept; HF run_mlm's)",
  },
} as const satisfies FlagSpecs;

/** The lab definition of this script (exported for tests, which run it in-process). */
export const bertLab: LabDefinition<typeof flags> = {
  title: "BERT (masked LM) trained from scratch on WikiText-2",
  script: "train:bert",
  objective: "masked-lm",
  flags,
  trainTokenizer: (texts, { vocabSize }) => trainWordPiece(texts, { vocabSize, minFrequency: 2 }),
  tokenizerDescription: (t) =>
    `WordPiece (BERT cased style), vocabulary ${t.vocabSize.toLocaleString("en-US")}`,
  withTaskOptions: (model, { mlmProbability }) =>
    model.kind === "bert" ? { ...model, mlmProbability } : model,
  configDefaults: BERT_DEFAULTS,
  reservedConfigKeys: {
    vocab_size: "it is the tokenizer's (use --vocab-size)",
    pad_token_id: "it is the tokenizer's",
  },
  makeModel: (model, tokenizer, blockSize, overrides) => {
    if (tokenizer.maskTokenId === undefined) throw new Error("train:bert: the tokenizer has no [MASK] token");
    const maxPositions = contextLength(
      overrides,
      "max_position_embeddings",
      blockSize,
      model === "bert-base-cased" ? 512 : blockSize,
    );
    const config = bertConfig(model as keyof typeof BERT_PRESETS, {
      ...(overrides as Partial<BertConfig>),
      vocab_size: tokenizer.vocabSize,
      max_position_embeddings: maxPositions,
      pad_token_id: tokenizer.padTokenId ?? 0,
    });
    return { kind: "bert", config, maskTokenId: tokenizer.maskTokenId };
  },
};
