import { add, mul, type Tensor } from "@scratchgrad/tensor";
import { type DecayMask, maskAt } from "../mask.js";
import { zipLeaves } from "../tree-utils.js";
import { type EmptyState, type GradientTransformation, requireParams } from "../types.js";

/**
 * Adds `weightDecay · param` to the update of every parameter the mask selects (all of them when
 * `mask` is omitted, as in PyTorch). Placed before `scaleByLearningRate`, this is AdamW's decoupled
 * decay `p ← p − lr·wd·p`.
 * @example
 * const opt = chain(scaleByAdam(), addDecayedWeights(0.1, decayMask(params)), scaleByLearningRate(3e-4));
 */
export const addDecayedWeights = (
  weightDecay: number,
  mask?: DecayMask,
): GradientTransformation<EmptyState> => ({
  init: () => ({}),
  update: (updates, state, params) => {
    if (weightDecay === 0) return [updates, state] as const;
    const p = requireParams("addDecayedWeights", params);
    const out = zipLeaves([updates, p], ([u, w], path) =>
      maskAt(mask, path, w!) ? addDecay(u!, w!, weightDecay) : u!,
    );
    return [out, state] as const;
  },
  hyperparameters: {
    name: "addDecayedWeights",
    weightDecay,
    mask: mask === undefined ? "all" : typeof mask === "function" ? "predicate" : { ...mask },
  },
});

/** `addDecayedWeights` on one tensor: `u + weightDecay·w`. Also part of `adamw`'s fused step's decomposition. */
export const addDecay = (u: Tensor, w: Tensor, weightDecay: number): Tensor => add(u, mul(w, weightDecay));
