import { IGNORE_INDEX, maskedBatchTensors, maskedLmLoss, maskTokens } from "@scratchgrad/lm-objectives";
import { type BertConfig, type BertParams, bert } from "@scratchgrad/nn";
import { random } from "@scratchgrad/tensor";
import type { LmTask } from "../train/task.js";

/**
 * BERT trained as a masked LM with dynamic masking: every time a batch is drawn it gets new masks
 * (15% of non-special positions; 80% [MASK], 10% random, 10% kept) from the step's key, so each epoch
 * masks differently and a resumed run masks exactly as an uninterrupted one.
 */
export const maskedLmTask = (
  config: BertConfig,
  maskTokenId: number,
  mlmProbability = 0.15,
): LmTask<BertParams> => {
  const model = bert(config);
  return {
    modelType: "bert",
    config: config as unknown as Record<string, unknown>,
    parameterCount: model.countParams(),
    init: model.init,
    loss(params, batch, key, training) {
      const [maskKey, dropoutKey] = random.split(key, 2) as [random.Key, random.Key];
      const masked = maskTokens(maskKey, batch.ids, batch.special, {
        maskTokenId,
        vocabSize: config.vocab_size,
        mlmProbability,
      });
      let count = 0;
      for (const l of masked.labels) if (l !== IGNORE_INDEX) count++;
      const { inputIds, labels } = maskedBatchTensors(masked, batch.batchSize, batch.blockSize);
      const logits = model.apply(params, { inputIds }, { training, key: dropoutKey }); // [B, T, V]
      return { loss: maskedLmLoss(logits, labels), count };
    },
  };
};
