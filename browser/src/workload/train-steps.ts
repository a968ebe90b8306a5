/**
 * A few training steps of a tiny GPT-2 on whatever backend is current: the forward and backward pass
 * (GEMMs, fused attention, layer norm, GELU, dropout masks, cross-entropy) and AdamW. The same code runs
 * in Node and in a browser, so their results can be compared bit for bit, and timed per backend.
 */
import { checkpointTensors, gpt2, gpt2Config } from "@scratchgrad/nn";
import { adamw, applyUpdates } from "@scratchgrad/optim";
import {
  disposeReplaced,
  fromTypedArray,
  io,
  random,
  randomArrays,
  scope,
  type Tensor,
  valueAndGrad,
} from "@scratchgrad/tensor";

/** What `trainSteps` returns: each step's loss and the final weights as a model.safetensors file. */
export interface TrainStepsResult {
  readonly losses: readonly number[];
  readonly weights: Uint8Array;
  /** Milliseconds of each step (forward, backward, optimizer, read of the loss). */
  readonly stepMs: readonly number[];
}

const config = gpt2Config("gpt2", { vocab_size: 64, n_positions: 16, n_embd: 32, n_head: 2, n_layer: 2 });
const [B, T] = [4, 16];

/**
 * `steps` AdamW steps from `random.key(0)`'s initialisation on batches drawn from `random.key(100 + i)`,
 * dropout on (key `i`).
 * @example const { losses, weights } = trainSteps(3);
 */
export const trainSteps = (steps: number): TrainStepsResult => {
  const model = gpt2(config);
  const opt = adamw({ learningRate: 1e-2 });
  let params = model.init(random.key(0));
  let state = opt.init(params);
  const losses: number[] = [];
  const stepMs: number[] = [];
  for (let i = 0; i < steps; i++) {
    const start = performance.now();
    const next = scope(() => {
      const ids = fromTypedArray(randomArrays.randint(random.key(100 + i), B * T, 0, 64), [B, T], "int32");
      const [loss, grads] = valueAndGrad(
        (p: typeof params): Tensor =>
          model.loss(p, { inputIds: ids }, { training: true, key: random.key(i) }),
      )(params);
      const [updates, nextState] = opt.update(grads, state, params);
      return { loss: loss.data()[0]!, params: applyUpdates(params, updates), state: nextState };
    });
    stepMs.push(performance.now() - start);
    losses.push(next.loss);
    disposeReplaced({ params, state }, { params: next.params, state: next.state });
    params = next.params;
    state = next.state;
  }
  const { tensors, metadata } = checkpointTensors({ modelType: "gpt2", config, params });
  return { losses, weights: io.serializeSafetensors(tensors, metadata), stepMs };
};
