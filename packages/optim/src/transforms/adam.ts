import { add, div, mul, sqrt, square, type Tensor, treeMap, zerosLike } from "@scratchgrad/tensor";
import { zipLeavesMany } from "../tree-utils.js";
import type { GradientTransformation } from "../types.js";

/** Adam's moment estimates, shaped like the parameters, and the number of updates made. */
export interface AdamState {
  readonly count: number;
  /** First moment m (exponential moving average of gradients). */
  readonly mu: unknown;
  /** Second moment v (exponential moving average of squared gradients). */
  readonly nu: unknown;
}

/** Adam's hyperparameters (PyTorch's defaults). */
export interface AdamOptions {
  /** Decay of the first moment (PyTorch `betas[0]`). */
  readonly b1?: number;
  /** Decay of the second moment (PyTorch `betas[1]`). */
  readonly b2?: number;
  /** Added to √v̂ (after bias correction, as PyTorch does), never inside the square root. */
  readonly eps?: number;
}

/**
 * Rescales updates by Adam's rule, without the learning rate. At update t = count + 1:
 *
 *   m ← b1·m + (1 − b1)·g,   v ← b2·v + (1 − b2)·g²
 *   m̂ = m / (1 − b1ᵗ),       v̂ = v / (1 − b2ᵗ)
 *   u = m̂ / (√v̂ + eps)
 *
 * which is `torch.optim.Adam`/`AdamW` with `lr = 1`: PyTorch computes `denom = √v / √(1 − b2ᵗ) + eps`
 * and steps by `(lr / (1 − b1ᵗ))·m / denom`, the same numbers with eps in the same place. The bias
 * corrections are computed in float64 on the host (t is a plain number in the state).
 * @example
 * const adam = chain(scaleByAdam({ b1: 0.9, b2: 0.95 }), scaleByLearningRate(1e-3));
 */
export const scaleByAdam = ({
  b1 = 0.9,
  b2 = 0.999,
  eps = 1e-8,
}: AdamOptions = {}): GradientTransformation<AdamState> => ({
  init: (params) => ({ count: 0, mu: treeMap(params, zerosLike), nu: treeMap(params, zerosLike) }),
  update: (updates, state) => {
    const t = state.count + 1;
    const [out, mu, nu] = zipLeavesMany([updates, state.mu, state.nu], 3, ([g, m, v]) =>
      adamLeaf(g!, m!, v!, { b1, b2, eps }, t),
    );
    return [out, { count: t, mu, nu }] as const;
  },
  hyperparameters: { name: "scaleByAdam", b1, b2, eps },
});

/**
 * `scaleByAdam` on one tensor at update t (1-based): `[u, m, v]`, the rescaled update and the next
 * moments. Also the decomposition `adamw`'s fused step is tested against (`fused-adamw.ts`).
 */
export const adamLeaf = (
  g: Tensor,
  m: Tensor,
  v: Tensor,
  { b1, b2, eps }: Required<AdamOptions>,
  t: number,
): [Tensor, Tensor, Tensor] => {
  const biasCorrection1 = 1 - b1 ** t;
  const biasCorrection2Sqrt = Math.sqrt(1 - b2 ** t);
  const m1 = add(mul(m, b1), mul(g, 1 - b1));
  const v1 = add(mul(v, b2), mul(square(g), 1 - b2));
  // PyTorch: denom = √v / √(1 − b2ᵗ) + eps; step = (lr / (1 − b1ᵗ)) · m / denom.
  const u = div(div(m1, biasCorrection1), add(div(sqrt(v1), biasCorrection2Sqrt), eps));
  return [u, m1, v1];
};
