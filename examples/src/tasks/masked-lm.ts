import { IGNORE_INDEX, type MaskedBatch, maskedLmLoss, maskTokens } from "@scratchgrad/lm-objectives";
import { type BertConfig, type BertParams, bert, sinusoidalPositions } from "@scratchgrad/nn";
import { fromTypedArray, random, type Tensor } from "@scratchgrad/tensor";
import type { LmTask, PositionInit } from "../train/task.js";

// Row counts of the head are rounded up to this, so a run sees a handful of shapes, not one per batch.
const POSITION_BUCKET = 64;

/**
 * The positions that carry a label (flat indices into B·T) and their labels, padded to a multiple of
 * POSITION_BUCKET with position 0 / IGNORE_INDEX (ignored by the loss). `count` is the real number.
 * @example labelledPositions({ inputIds, labels: Int32Array.of(-100, 7, -100) }) // positions [1, 0, …], labels [7, -100, …]
 */
export const labelledPositions = (
  masked: MaskedBatch,
): { positions: Tensor; labels: Tensor; count: number } => {
  let count = 0;
  for (const l of masked.labels) if (l !== IGNORE_INDEX) count++;
  const n = Math.max(POSITION_BUCKET, Math.ceil(count / POSITION_BUCKET) * POSITION_BUCKET);
  const positions = new Int32Array(n);
  const labels = new Int32Array(n).fill(IGNORE_INDEX);
  let j = 0;
  for (const [i, l] of masked.labels.entries()) {
    if (l === IGNORE_INDEX) continue;
    positions[j] = i;
    labels[j++] = l;
  }
  return {
    positions: fromTypedArray(positions, [n], "int32"),
    labels: fromTypedArray(labels, [n], "int32"),
    count,
  };
};

/** What a masked-LM run may choose beyond the model's config. */
export interface MaskedLmOptions {
  /** Share of tokens masked when the model is scored (HF's `mlm_probability`); default 0.15. */
  readonly mlmProbability?: number;
  /** Share masked in training steps; default `mlmProbability`. More labels per step, same scoring. */
  readonly trainMlmProbability?: number;
  /** Default "normal" (HF's `_init_weights`); "sinusoidal": `sinusoidalPositions` at the same scale. */
  readonly positionInit?: PositionInit;
}

/**
 * BERT trained as a masked LM with dynamic masking: every time a batch is drawn it gets new masks
 * (15% of non-special positions by default; 80% [MASK], 10% random, 10% kept) from the step's key, so
 * each epoch masks differently and a resumed run masks exactly as an uninterrupted one. The MLM head
 * runs only at the labelled positions (`logitsAt`): the loss is HF's, and the vocabulary projection
 * costs the masked share of its full cost (~15% when scoring, ~40% in the default's training steps).
 */
export const maskedLmTask = (
  config: BertConfig,
  maskTokenId: number,
  options: MaskedLmOptions = {},
): LmTask<BertParams> => {
  const model = bert(config);
  const mlmProbability = options.mlmProbability ?? 0.15;
  const trainMlmProbability = options.trainMlmProbability ?? mlmProbability;
  const init = (key: random.Key): BertParams => {
    const params = model.init(key);
    if (options.positionInit !== "sinusoidal") return params;
    const e = params.bert.embeddings;
    const [n, dim] = e.position_embeddings.weight.shape as [number, number];
    const positions = { weight: sinusoidalPositions(n, dim, config.initializer_range) };
    return { ...params, bert: { ...params.bert, embeddings: { ...e, position_embeddings: positions } } };
  };
  return {
    modelType: "bert",
    config: config as unknown as Record<string, unknown>,
    parameterCount: model.countParams(),
    init,
    loss(params, batch, key, training) {
      const [maskKey, dropoutKey] = random.split(key, 2) as [random.Key, random.Key];
      const masked = maskTokens(maskKey, batch.ids, batch.special, {
        maskTokenId,
        vocabSize: config.vocab_size,
        mlmProbability: training ? trainMlmProbability : mlmProbability,
      });
      const inputIds = fromTypedArray(masked.inputIds, [batch.batchSize, batch.blockSize], "int32");
      const { positions, labels, count } = labelledPositions(masked);
      const logits = model.logitsAt(params, { inputIds }, positions, { training, key: dropoutKey }); // [N, V]
      return { loss: maskedLmLoss(logits, labels), count };
    },
  };
};
