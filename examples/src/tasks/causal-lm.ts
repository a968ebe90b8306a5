import { causalLmLoss } from "@scratchgrad/lm-objectives";
import { type Gpt2Config, type Gpt2Params, gpt2 } from "@scratchgrad/nn";
import { fromTypedArray } from "@scratchgrad/tensor";
import type { LmTask } from "../train/task.js";

/**
 * GPT-2 trained as a causal LM: labels are the inputs, position t predicts token t + 1, so every
 * block of T tokens scores T − 1 of them.
 */
export const causalLmTask = (config: Gpt2Config): LmTask<Gpt2Params> => {
  const model = gpt2(config);
  return {
    modelType: "gpt2",
    config: config as unknown as Record<string, unknown>,
    parameterCount: model.countParams(),
    init: model.init,
    loss(params, batch, key, training) {
      const ids = fromTypedArray(batch.ids, [batch.batchSize, batch.blockSize], "int32");
      const logits = model.apply(params, ids, { training, key }); // [B, T, V]
      return { loss: causalLmLoss(logits, ids), count: batch.batchSize * (batch.blockSize - 1) };
    },
  };
};
