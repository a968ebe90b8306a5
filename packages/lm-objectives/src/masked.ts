import {
  crossEntropy,
  fromTypedArray,
  random,
  randomArrays,
  reshape,
  type Tensor,
} from "@scratchgrad/tensor";
import { IGNORE_INDEX } from "./causal.js";

/** Options of the dynamic masking collator, named as Hugging Face's DataCollatorForLanguageModeling. */
export interface MaskingOptions {
  /** Share of eligible positions selected for prediction (HF default 0.15). */
  readonly mlmProbability?: number;
  /** Of the selected: share replaced by [MASK] (0.8), by a random token (0.1); the rest stay (0.1). */
  readonly maskReplaceProbability?: number;
  readonly randomReplaceProbability?: number;
  readonly maskTokenId: number;
  readonly vocabSize: number;
}

/** A masked batch on the host: what the model reads and what the loss scores. */
export interface MaskedBatch {
  /** Input ids with the selected positions replaced: [B·T] row-major. */
  readonly inputIds: Int32Array;
  /** The original id at selected positions, IGNORE_INDEX elsewhere: [B·T]. */
  readonly labels: Int32Array;
}

/**
 * Dynamic masking for the masked LM, as Hugging Face's DataCollatorForLanguageModeling: each
 * position that is not a special token (or padding) is selected with probability `mlmProbability`;
 * a selected position becomes [MASK] with probability 0.8, a uniformly random token with 0.1, and
 * stays unchanged with 0.1. Labels keep the original id at selected positions only. Call it with a
 * fresh key for every batch drawn, so every epoch masks differently; the same key gives the same mask.
 *
 * @param ids token ids [B·T] (a batch of blocks, row-major)
 * @param specialTokensMask 1 at special tokens and padding, which are never selected
 * @example const { inputIds, labels } = maskTokens(random.foldIn(key, step), ids, special, { maskTokenId, vocabSize });
 */
export const maskTokens = (
  key: random.Key,
  ids: Int32Array,
  specialTokensMask: Uint8Array | null,
  options: MaskingOptions,
): MaskedBatch => {
  const p = options.mlmProbability ?? 0.15;
  const pMask = options.maskReplaceProbability ?? 0.8;
  const pRandom = options.randomReplaceProbability ?? 0.1;
  if (!(p >= 0 && p <= 1) || !(pMask >= 0 && pRandom >= 0 && pMask + pRandom <= 1)) {
    throw new RangeError(
      `maskTokens: probabilities must lie in [0, 1] with mask + random ≤ 1, got ${p}, ${pMask}, ${pRandom}`,
    );
  }
  const n = ids.length;
  const [kSelect, kKind, kToken] = random.split(key, 3) as [random.Key, random.Key, random.Key];
  const selectU = randomArrays.uniform(kSelect, n);
  const kindU = randomArrays.uniform(kKind, n);
  const randomTokens = randomArrays.randint(kToken, n, 0, options.vocabSize);
  const inputIds = new Int32Array(ids);
  const labels = new Int32Array(n).fill(IGNORE_INDEX);
  for (let i = 0; i < n; i++) {
    if (specialTokensMask?.[i] || selectU[i]! >= p) continue;
    labels[i] = ids[i]!;
    const u = kindU[i]!;
    if (u < pMask) inputIds[i] = options.maskTokenId;
    else if (u < pMask + pRandom) inputIds[i] = randomTokens[i]!;
  }
  return { inputIds, labels };
};

/**
 * Mean cross-entropy of logits [B, T, V] against masked-LM labels [B, T] (IGNORE_INDEX where not
 * selected): Hugging Face's BertForMaskedLM loss.
 */
export const maskedLmLoss = (logits: Tensor, labels: Tensor): Tensor => {
  const v = logits.shape[logits.rank - 1]!;
  return crossEntropy(reshape(logits, [-1, v]), reshape(labels, [-1]), { ignoreIndex: IGNORE_INDEX });
};

/** A masked batch as tensors of shape [B, T]. */
export const maskedBatchTensors = (
  batch: MaskedBatch,
  b: number,
  t: number,
): { inputIds: Tensor; labels: Tensor } => ({
  inputIds: fromTypedArray(batch.inputIds, [b, t], "int32"),
  labels: fromTypedArray(batch.labels, [b, t], "int32"),
});
