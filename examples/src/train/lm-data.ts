/**
 * The lab's text → blocks preprocessing as small functions, shared by training (lab.ts) and
 * re-evaluation (eval.ts) so a saved model is scored on exactly the blocks the trainer scored.
 */
import {
  type Blocks,
  countWordsOfRows,
  type Dataset,
  type EncodeBatch,
  groupTexts,
  type TextRow,
  type TokenizedRow,
  tokenizeDataset,
} from "@scratchgrad/datasets";
import type { Tokenizer } from "@scratchgrad/tokenizer";
import type { TrainingData } from "./trainer.js";

/** The training objective: which blocks keep a labels column (HF's group_texts for the causal LM). */
export type Objective = "causal-lm" | "masked-lm";

/**
 * The first `n` blocks (`--max-train-samples`, `--max-eval-samples`, counted after grouping as run_clm
 * and run_mlm count them: `lm_datasets["train"].select(range(n))`); 0 or more than there are: all.
 * @example firstBlocks(groupBlocks(tokenized, 128, "causal-lm"), 100).numBlocks // 100
 */
export const firstBlocks = (blocks: Blocks, n: number): Blocks => {
  if (!(n > 0 && n < blocks.numBlocks)) return blocks;
  const end = n * blocks.blockSize;
  return {
    blockSize: blocks.blockSize,
    numBlocks: n,
    inputIds: blocks.inputIds.slice(0, end),
    attentionMask: blocks.attentionMask.slice(0, end),
    specialTokensMask: blocks.specialTokensMask.slice(0, end),
    ...(blocks.labels ? { labels: blocks.labels.slice(0, end) } : {}),
  };
};

/**
 * The tokenizer as `tokenizeDataset`'s batch encoder (ids and the special-token flags).
 * @example tokenizeDataset(batchEncoder(tokenizer))(rows)
 */
export const batchEncoder =
  (tokenizer: Tokenizer): EncodeBatch =>
  (texts) =>
    tokenizer.encodeBatch(texts).map((e) => ({ ids: e.ids, specialTokensMask: e.specialTokensMask }));

/** Tokens of a tokenized split before grouping (the denominator side of word-level perplexity). */
export const tokenCount = (tokenized: Dataset<TokenizedRow>): number =>
  tokenized.columns.input_ids.reduce((s, r) => s + r.length, 0);

/**
 * HF's group_texts for an objective: concatenate, cut into `blockSize` blocks, labels only for the
 * causal LM. @example groupBlocks(tokenized, 128, "causal-lm").numBlocks
 */
export const groupBlocks = (
  tokenized: Dataset<TokenizedRow>,
  blockSize: number,
  objective: Objective,
): Blocks => groupTexts({ blockSize, labels: objective === "causal-lm" })(tokenized);

/**
 * The validation half of `TrainingData` from raw rows, as the lab builds it: tokenize, group, keep the
 * first `maxEvalSamples` blocks (0: all), and count the split's words and tokens for word-level
 * perplexity (a cut keeps the whole split's words-per-token ratio).
 * @example const v = validationData(ds.validation, tokenizer, 128, "causal-lm");
 */
export const validationData = (
  rows: Dataset<TextRow>,
  tokenizer: Tokenizer,
  blockSize: number,
  objective: Objective,
  maxEvalSamples = 0,
): Pick<TrainingData, "validation" | "validationWords" | "validationTokens"> => {
  const tokenized = tokenizeDataset(batchEncoder(tokenizer))(rows);
  return {
    validation: firstBlocks(groupBlocks(tokenized, blockSize, objective), maxEvalSamples),
    validationTokens: tokenCount(tokenized),
    validationWords: countWordsOfRows(rows.columns.text),
  };
};
