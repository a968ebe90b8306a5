import { chain, identity } from "./combine.js";
import type { DecayMask } from "./mask.js";
import { scaleByAdam } from "./transforms/adam.js";
import { addDecayedWeights } from "./transforms/decay.js";
import { fuseAdamW } from "./transforms/fused-adamw.js";
import { scaleByLearningRate } from "./transforms/scale.js";
import { trace } from "./transforms/trace.js";
import { describeLearningRate, type GradientTransformation, type LearningRate } from "./types.js";

// A named optimizer records its own options (flat, readable in the saved JSON) instead of the chain's list.
const withHyperparameters = <S>(
  opt: GradientTransformation<S>,
  hyperparameters: GradientTransformation["hyperparameters"],
): GradientTransformation<S> => ({ ...opt, hyperparameters });

/** Options of `sgd` (PyTorch's `torch.optim.SGD` without dampening or weight decay). */
export interface SgdOptions {
  readonly learningRate: LearningRate;
  /** Heavy-ball momentum; 0 (the default) is plain SGD. */
  readonly momentum?: number;
  readonly nesterov?: boolean;
}

/**
 * Stochastic gradient descent, with optional (Nesterov) momentum: `p ← p − lr·buf`.
 * @example
 * const opt = sgd({ learningRate: 0.1, momentum: 0.9 });
 */
export const sgd = ({ learningRate, momentum = 0, nesterov = false }: SgdOptions) => {
  const opt = chain(
    momentum === 0 ? identity() : trace({ momentum, nesterov }),
    scaleByLearningRate(learningRate),
  );
  return withHyperparameters(opt, {
    name: "sgd",
    learningRate: describeLearningRate(learningRate),
    momentum,
    nesterov,
  });
};

/** Options of `adam` (PyTorch defaults). */
export interface AdamOptimizerOptions {
  readonly learningRate: LearningRate;
  readonly b1?: number;
  readonly b2?: number;
  readonly eps?: number;
}

/**
 * Adam (`torch.optim.Adam` without weight decay): `p ← p − lr·m̂/(√v̂ + eps)`.
 * @example
 * const opt = adam({ learningRate: 1e-3 });
 */
export const adam = ({ learningRate, b1 = 0.9, b2 = 0.999, eps = 1e-8 }: AdamOptimizerOptions) =>
  withHyperparameters(chain(scaleByAdam({ b1, b2, eps }), scaleByLearningRate(learningRate)), {
    name: "adam",
    learningRate: describeLearningRate(learningRate),
    b1,
    b2,
    eps,
  });

/** Options of `adamw`. Defaults are `torch.optim.AdamW`'s. */
export interface AdamWOptions extends AdamOptimizerOptions {
  /** Decoupled weight decay λ: each step multiplies decayed parameters by (1 − lr·λ). */
  readonly weightDecay?: number;
  /**
   * Which parameters decay. Omitted: all of them (PyTorch's behaviour for `AdamW(model.parameters())`).
   * Pass `decayMask(params)` or `defaultDecayPredicate` for nanoGPT's / Hugging Face Trainer's
   * exemption of biases and LayerNorm weights.
   */
  readonly mask?: DecayMask;
}

/**
 * AdamW with `torch.optim.AdamW`'s numbers: at update t with rate lr_t,
 *
 *   p ← p − lr_t·λ·p                  (decoupled decay, selected by `mask`)
 *   m ← b1·m + (1 − b1)·g,  v ← b2·v + (1 − b2)·g²
 *   p ← p − lr_t·(m / (1 − b1ᵗ)) / (√(v / (1 − b2ᵗ)) + eps)
 *
 * built as `chain(scaleByAdam, addDecayedWeights(λ, mask), scaleByLearningRate(lr))`: the decay term
 * uses the parameters before this update, exactly as PyTorch decays before the Adam step. The chain's
 * state is the state (`AdamWState`); its update runs as one `adamwStep` per parameter tensor: the
 * backend's fused kernel for the update `"adamw"` where it has one (wasm: a single pass), the chain's
 * own primitives elsewhere.
 * @example
 * const opt = adamw({
 *   learningRate: linearWarmupDecay({ peak: 5e-4, warmupSteps: 100, totalSteps: 2000 }),
 *   weightDecay: 0.1,
 *   mask: decayMask(params),
 * });
 */
export const adamw = ({
  learningRate,
  b1 = 0.9,
  b2 = 0.999,
  eps = 1e-8,
  weightDecay = 0.01,
  mask,
}: AdamWOptions) =>
  withHyperparameters(
    fuseAdamW(
      chain(
        scaleByAdam({ b1, b2, eps }),
        addDecayedWeights(weightDecay, mask),
        scaleByLearningRate(learningRate),
      ),
      { learningRate, b1, b2, eps, weightDecay, mask },
    ),
    {
      name: "adamw",
      learningRate: describeLearningRate(learningRate),
      b1,
      b2,
      eps,
      weightDecay,
      mask: mask === undefined ? "all" : typeof mask === "function" ? "predicate" : { ...mask },
    },
  );
