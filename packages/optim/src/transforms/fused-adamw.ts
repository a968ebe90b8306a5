import { adamwUpdate } from "@scratchgrad/tensor";
import { type DecayMask, maskAt } from "../mask.js";
import { zipLeavesMany } from "../tree-utils.js";
import type { GradientTransformation, LearningRate } from "../types.js";
import type { AdamState } from "./adam.js";
import type { ScheduleState } from "./scale.js";

/** Hyperparameters of `fuseAdamW`: those of `adamw`, defaults filled in. */
export interface FusedAdamWOptions {
  readonly learningRate: LearningRate;
  readonly b1: number;
  readonly b2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly mask: DecayMask | undefined;
}

type ChainState = readonly [AdamState, unknown, unknown];

const isChainState = (state: unknown): state is ChainState =>
  Array.isArray(state) &&
  state.length === 3 &&
  typeof (state[0] as AdamState | undefined)?.count === "number";

/**
 * Runs `adamw`'s chain `chain(scaleByAdam, addDecayedWeights, scaleByLearningRate)` as one
 * `adamwUpdate` per parameter tensor: a single fused pass over param, grad and moments on backends
 * with a kernel for it (wasm), the same primitives as the chain elsewhere. The state is the chain's
 * (`[{ count, mu, nu }, {}, {} | { count }]`), so saved states load either way; without `params` (no
 * decay to apply) or with a state not shaped like that, the chain itself runs and reports what is wrong.
 */
export const fuseAdamW = <S>(
  decomposed: GradientTransformation<S>,
  { learningRate, b1, b2, eps, weightDecay, mask }: FusedAdamWOptions,
): GradientTransformation<S> => ({
  ...decomposed,
  update: (updates, state, params) => {
    if (params === undefined || !isChainState(state)) return decomposed.update(updates, state, params);
    const [adam, decayState, rateState] = state;
    const step = adam.count + 1;
    const scheduled = typeof learningRate !== "number";
    const lr = scheduled ? learningRate((rateState as ScheduleState).count) : learningRate;
    const [out, mu, nu] = zipLeavesMany([updates, params, adam.mu, adam.nu], 3, ([g, p, m, v], path) => {
      const decay = weightDecay !== 0 && maskAt(mask, path, p!) ? weightDecay : 0;
      const r = adamwUpdate(p!, g!, m!, v!, {
        lr,
        beta1: b1,
        beta2: b2,
        eps,
        weightDecay: decay,
        step,
        gradScale: 1,
      });
      return [r.update, r.mu, r.nu];
    });
    const nextRate = scheduled ? { count: (rateState as ScheduleState).count + 1 } : rateState;
    return [out, [{ count: step, mu, nu }, decayState, nextRate] as unknown as S] as const;
  },
});
