import { DTypeError, fusedUpdate, mul, ShapeError, sameShape, scope, type Tensor } from "@scratchgrad/tensor";
import { type DecayMask, maskAt } from "../mask.js";
import { zipLeavesMany } from "../tree-utils.js";
import type { EmptyState, GradientTransformation, LearningRate } from "../types.js";
import { type AdamState, adamLeaf } from "./adam.js";
import { addDecay } from "./decay.js";
import type { ScheduleState } from "./scale.js";

/**
 * The scalars of one AdamW step on one parameter tensor: `torch.optim.AdamW`'s numbers at update
 * `step` (1-based) with rate `lr`,
 *
 *   m ← b1·m + (1 − b1)·g;  v ← b2·v + (1 − b2)·g²
 *   update = −lr·λ·p − (lr / (1 − b1ᵗ))·m / (√v / √(1 − b2ᵗ) + eps)
 *
 * so that `p + update` is PyTorch's `p·(1 − lr·λ) − …` (decay uses the parameter before the step).
 * They are the params of the fused update `"adamw"`: a backend's `fusedUpdates.adamw`
 * (`FusedUpdateKernel<AdamWUpdateParams>`) takes inputs `[param, grad, mu, nu]` and returns NEW
 * buffers `[update, mu, nu]`, all float32 of the parameter's shape, equal to `adamw`'s chain within
 * float32 rounding.
 */
export interface AdamWUpdateParams {
  readonly lr: number;
  readonly b1: number;
  readonly b2: number;
  readonly eps: number;
  /** Decoupled weight decay λ of this tensor (0 where the mask exempts it). */
  readonly weightDecay: number;
  /** 1-based number of this update, for the bias corrections 1 − b1ᵗ and 1 − b2ᵗ. */
  readonly step: number;
}

/**
 * `adamw`'s state: its chain's, member by member — Adam's count and moments, the decay's `{}`, and
 * the learning rate's `{}` (a fixed rate) or `{ count }` (a schedule).
 */
export type AdamWState = readonly [AdamState, EmptyState, EmptyState | ScheduleState];

/** Hyperparameters of `fuseAdamW`: those of `adamw`, defaults filled in. */
export interface FusedAdamWOptions {
  readonly learningRate: LearningRate;
  readonly b1: number;
  readonly b2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly mask: DecayMask | undefined;
}

const checkLeaf = (param: Tensor, grad: Tensor, mu: Tensor, nu: Tensor): void => {
  for (const [name, x] of [
    ["param", param],
    ["grad", grad],
    ["mu", mu],
    ["nu", nu],
  ] as const) {
    if (x.dtype !== "float32") throw new DTypeError("adamw", `${name} must be float32, got ${x.dtype}`);
    if (!sameShape(x.shape, param.shape)) {
      throw new ShapeError(
        "adamw",
        `${name} has shape [${x.shape.join(", ")}], expected the parameter's [${param.shape.join(", ")}]`,
      );
    }
  }
};

/**
 * One AdamW step on one parameter tensor: `[update, mu, nu]`, new tensors shaped like it. The
 * backend's fused kernel for `"adamw"` when it has one (wasm: one pass over memory instead of ~12),
 * else — and while a `vjp` records — the chain's own math on this tensor: `scaleByAdam`'s
 * (`adamLeaf`), `addDecayedWeights`' (`addDecay`) and `scaleByLearningRate`'s, the very operations
 * the chain applies, so the same floats. Its temporaries are freed before it returns.
 */
export const adamwStep = (param: Tensor, grad: Tensor, mu: Tensor, nu: Tensor, h: AdamWUpdateParams) => {
  checkLeaf(param, grad, mu, nu);
  return fusedUpdate("adamw", [param, grad, mu, nu], h, [param, param, param], () =>
    scope(() => {
      const [u, m, v] = adamLeaf(grad, mu, nu, h, h.step);
      const decayed = h.weightDecay === 0 ? u : addDecay(u, param, h.weightDecay);
      return [mul(decayed, -h.lr), m, v];
    }),
  );
};

/**
 * Runs `adamw`'s chain `chain(scaleByAdam, addDecayedWeights, scaleByLearningRate)` as one `adamwStep`
 * per parameter tensor. The state is the chain's (`AdamWState`), so saved states load either way;
 * without `params` (no decay to apply) the chain itself runs, and says when it needs them.
 */
export const fuseAdamW = (
  chained: GradientTransformation<AdamWState>,
  { learningRate, b1, b2, eps, weightDecay, mask }: FusedAdamWOptions,
): GradientTransformation<AdamWState> => ({
  ...chained,
  update: (updates, state, params) => {
    if (params === undefined) return chained.update(updates, state, params);
    const [adam, decayState, rateState] = state;
    const step = adam.count + 1;
    // a schedule is evaluated at its own count, as scaleByLearningRate does
    const lr = typeof learningRate === "number" ? learningRate : learningRate(rateState.count);
    const [out, mu, nu] = zipLeavesMany([updates, params, adam.mu, adam.nu], 3, ([g, p, m, v], path) => {
      const decay = weightDecay !== 0 && maskAt(mask, path, p!) ? weightDecay : 0;
      return adamwStep(p!, g!, m!, v!, { lr, b1, b2, eps, weightDecay: decay, step });
    });
    const nextRate = typeof learningRate === "number" ? rateState : { count: rateState.count + 1 };
    return [out, [{ count: step, mu, nu }, decayState, nextRate]] as const;
  },
});
