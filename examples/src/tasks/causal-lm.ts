import { causalLmLoss } from "@scratchgrad/lm-objectives";
import { type Gpt2Config, type Gpt2Params, gpt2, sinusoidalPositions } from "@scratchgrad/nn";
import { fromTypedArray, type random } from "@scratchgrad/tensor";
import type { LmTask, PositionInit } from "../train/task.js";

export interface CausalLmOptions {
  /** Default "normal" (HF's `_init_weights`); "sinusoidal": `sinusoidalPositions` at the same scale. */
  readonly positionInit?: PositionInit;
}

/**
 * GPT-2 trained as a causal LM: labels are the inputs, position t predicts token t + 1, so every
 * block of T tokens scores T − 1 of them.
 */
export const causalLmTask = (config: Gpt2Config, options: CausalLmOptions = {}): LmTask<Gpt2Params> => {
  const model = gpt2(config);
  const init = (key: random.Key): Gpt2Params => {
    const params = model.init(key);
    if (options.positionInit !== "sinusoidal") return params;
    const wpe = { weight: sinusoidalPositions(config.n_positions, config.n_embd, config.initializer_range) };
    return { ...params, transformer: { ...params.transformer, wpe } };
  };
  return {
    modelType: "gpt2",
    config: config as unknown as Record<string, unknown>,
    parameterCount: model.countParams(),
    init,
    loss(params, batch, key, training) {
      const ids = fromTypedArray(batch.ids, [batch.batchSize, batch.blockSize], "int32");
      const logits = model.apply(params, ids, { training, key }); // [B, T, V]
      return { loss: causalLmLoss(logits, ids), count: batch.batchSize * (batch.blockSize - 1) };
    },
  };
};
