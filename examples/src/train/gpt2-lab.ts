/**
 * train:gpt2's lab definition (flags, recipes, tokenizer, model), Node-free so the playground runs the
 * same definition in a browser. See train-gpt2.ts for what the script does.
 */
import { GPT2_DEFAULTS, GPT2_PRESETS, type Gpt2Config, gpt2Config } from "@scratchgrad/nn";
import { type Tokenizer, trainByteLevelBpe, trainWikitextWordLevel } from "@scratchgrad/tokenizer";
import type { FlagSpecs } from "../cli/flags.js";
import { labFlags } from "./lab-arguments.js";
import { contextLength, type LabDefinition } from "./lab-definition.js";
import { POSITION_INITS, type PositionInit } from "./task.js";

const models = ["gpt2-small-cpu", ...Object.keys(GPT2_PRESETS).filter((m) => m !== "gpt2-small-cpu")];

/**
 * What a default run trains with each tokenizer, sized to finish in 45 minutes on a 2-core CPU of the
 * slower kind (docs/walkthrough.md has the measured runs); a flag given on the command line wins. A
 * word-level step projects onto 33,278 words, and that head's cost grows with the width, so the
 * word-level recipe takes the narrow gpt2-mini-cpu and spends the time on more epochs. It trains the 16
 * hidden matrices with Muon and the rest (the tied embedding, positions, LayerNorms, biases) with AdamW:
 * at equal wall time Muon's validation perplexity was 121.10 against AdamW's 148.45. Its rates come
 * from an equal-schedule screen (0.5-epoch runs, validation loss; Muon 0.02 / AdamW 2e-3: 5.4434):
 * sinusoidal starting positions 5.4392, Muon 0.01 5.4014 (0.02 was tuned for wider models: with the
 * original scaling an orthogonal update's entries are 1/√128 here), then AdamW 4e-3 5.3242 and 8e-3
 * 5.2938. 6e-3 sits between, as a schedule 3.6× longer tends to want a lower rate. 1.8 epochs leave the
 * margin the Intel machines of this kind need (their step is estimated ~1.2× an AMD EPYC Zen 5's).
 * Its dropout is 0: dropout 0.1 cost 10% of the step and was 0.09 nats behind after one epoch, so
 * within 45 minutes it slows learning more than it curbs overfitting.
 */
const RECIPES = {
  bpe: {
    model: "gpt2-small-cpu",
    numTrainEpochs: 1.5,
    learningRate: 1e-3,
    optim: "adamw",
    muonLearningRate: 0.02,
    configOverrides: "",
    positionInit: "normal",
  },
  "word-level": {
    model: "gpt2-mini-cpu",
    numTrainEpochs: 1.8,
    learningRate: 6e-3,
    optim: "muon",
    muonLearningRate: 0.01,
    configOverrides: "resid_pdrop=0,embd_pdrop=0,attn_pdrop=0",
    positionInit: "sinusoidal",
  },
} as const;
type TokenizerKind = keyof typeof RECIPES;

const common = labFlags({
  model: RECIPES.bpe.model,
  models,
  epochs: RECIPES.bpe.numTrainEpochs,
  lr: RECIPES.bpe.learningRate,
  vocab: 8192,
  outputDir: "output/gpt2-wikitext2",
  warmupRatio: 0.05,
});

const recipeHelp = (key: keyof (typeof RECIPES)["bpe"]) =>
  `default ${RECIPES["word-level"][key] || "none"} with the word-level tokenizer, ${RECIPES.bpe[key] || "none"} with BPE`;

const flags = {
  ...common,
  model: { ...common.model, default: undefined, help: `Model preset (${recipeHelp("model")})` },
  "num-train-epochs": {
    ...common["num-train-epochs"],
    default: undefined, // resolved from the tokenizer (resolveDefaults)
    help: `Training epochs (${recipeHelp("numTrainEpochs")})`,
  },
  "learning-rate": {
    ...common["learning-rate"],
    default: undefined,
    help: `${common["learning-rate"].help} (${recipeHelp("learningRate")})`,
  },
  optim: {
    ...common.optim,
    default: undefined,
    help: `${common.optim.help} (${recipeHelp("optim")})`,
  },
  "muon-learning-rate": {
    ...common["muon-learning-rate"],
    default: undefined,
    help: `${common["muon-learning-rate"].help} (${recipeHelp("muonLearningRate")})`,
  },
  "config-overrides": {
    ...common["config-overrides"],
    default: undefined,
    help: `${common["config-overrides"].help} (${recipeHelp("configOverrides")})`,
  },
  "vocab-size": {
    ...common["vocab-size"],
    help: "Vocabulary size of the BPE trained on the train split; for word-level a cap, only when given (else every word)",
  },
  "position-init": {
    type: "string",
    default: undefined,
    choices: POSITION_INITS,
    help: `How position embeddings start when training from scratch: sinusoids at the init's scale, or HF's N(0, initializer_range); they are learned either way (${recipeHelp("positionInit")})`,
  },
  tokenizer: {
    type: "string",
    default: "auto",
    choices: ["auto", "bpe", "word-level"],
    help: "bpe: byte-level BPE (GPT-2 style); word-level: whitespace words + <eos> per line, as the classic benchmark; auto: word-level on wikitext-2-v1, bpe on wikitext-2-raw-v1",
  },
} as const satisfies FlagSpecs;

const describeTokenizer = (t: Tokenizer): string => {
  const size = t.vocabSize.toLocaleString("en-US");
  return t.config.model.type === "WordLevel"
    ? `WordLevel (whitespace words + <eos> per line), vocabulary ${size}`
    : `byte-level BPE (GPT-2 style), vocabulary ${size}`;
};

/** The lab definition of this script (exported for tests, which run it in-process). */
export const gpt2Lab: LabDefinition<typeof flags> = {
  title: "GPT-2 (causal LM) trained from scratch on WikiText-2",
  script: "train:gpt2",
  objective: "causal-lm",
  flags,
  resolveDefaults: (values, given) => {
    const tokenizer: TokenizerKind =
      values.tokenizer === "auto"
        ? values.datasetConfig === "wikitext-2-v1"
          ? "word-level"
          : "bpe"
        : (values.tokenizer as TokenizerKind);
    const recipe = RECIPES[tokenizer];
    return {
      tokenizer,
      ...(given.has("model") ? {} : { model: recipe.model }),
      ...(given.has("numTrainEpochs") ? {} : { numTrainEpochs: recipe.numTrainEpochs }),
      ...(given.has("learningRate") ? {} : { learningRate: recipe.learningRate }),
      ...(given.has("optim") ? {} : { optim: recipe.optim }),
      ...(given.has("muonLearningRate") ? {} : { muonLearningRate: recipe.muonLearningRate }),
      ...(given.has("configOverrides") ? {} : { configOverrides: recipe.configOverrides }),
      ...(given.has("positionInit") ? {} : { positionInit: recipe.positionInit }),
    };
  },
  withTaskOptions: (model, { positionInit }) =>
    model.kind === "gpt2" ? { ...model, positionInit: positionInit as PositionInit } : model,
  trainTokenizer: (texts, { tokenizer, vocabSize }, given) =>
    tokenizer === "word-level"
      ? trainWikitextWordLevel(texts, given.has("vocabSize") ? { vocabSize } : {})
      : trainByteLevelBpe(texts, { vocabSize, minFrequency: 2, specialTokens: ["<|endoftext|>"] }),
  // from the tokenizer itself, so a run resumed from a checkpoint describes the one it uses
  tokenizerDescription: describeTokenizer,
  configDefaults: GPT2_DEFAULTS,
  reservedConfigKeys: {
    vocab_size: "it is the tokenizer's (use --vocab-size)",
    bos_token_id: "it is the tokenizer's",
    eos_token_id: "it is the tokenizer's",
  },
  makeModel: (model, tokenizer, blockSize, overrides) => {
    const nPositions = contextLength(
      overrides,
      "n_positions",
      blockSize,
      model === "gpt2" ? 1024 : blockSize,
    );
    const config = gpt2Config(model as keyof typeof GPT2_PRESETS, {
      ...(overrides as Partial<Gpt2Config>),
      vocab_size: tokenizer.vocabSize,
      n_positions: nPositions,
      // GPT-2 uses one token for both ends (<|endoftext|>); the word-level tokenizer's is <eos>
      bos_token_id: tokenizer.bosTokenId ?? tokenizer.eosTokenId ?? 0,
      eos_token_id: tokenizer.eosTokenId ?? 0,
    });
    return { kind: "gpt2", config };
  },
};
