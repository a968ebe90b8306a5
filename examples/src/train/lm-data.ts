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
 * The first `n` rows (`--max-train-samples`, `--max-eval-samples`); 0 or more than there are: all.
 * @example firstRows(dataset.validation, 100).numRows // 100
 */
export const firstRows = (rows: Dataset<TextRow>, n: number): Dataset<TextRow> =>
  n > 0 && n < rows.numRows
    ? { ...rows, numRows: n, columns: { text: rows.columns.text.slice(0, n) } }
    : rows;

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
 * The validation half of `TrainingData` from raw rows, as the lab builds it: tokenize, group, and
 * count words and tokens for word-level perplexity.
 * @example const v = validationData(firstRows(ds.validation, 0), tokenizer, 128, "causal-lm");
 */
export const validationData = (
  rows: Dataset<TextRow>,
  tokenizer: Tokenizer,
  blockSize: number,
  objective: Objective,
): Pick<TrainingData, "validation" | "validationWords" | "validationTokens"> => {
  const tokenized = tokenizeDataset(batchEncoder(tokenizer))(rows);
  return {
    validation: groupBlocks(tokenized, blockSize, objective),
    validationTokens: tokenCount(tokenized),
    validationWords: countWordsOfRows(rows.columns.text),
  };
};
