import {
  add,
  div,
  minimum,
  mul,
  scalar,
  scope,
  sqrt,
  square,
  sum,
  Tensor,
  treeLeaves,
} from "@scratchgrad/tensor";
import { zipLeaves } from "../tree-utils.js";
import type { GradientTransformation } from "../types.js";

/**
 * The L2 norm of all the tensors of a tree taken together, √(Σ x²), as a scalar tensor.
 * @example
 * globalNorm({ a: tensor([3]), b: tensor([4]) }).item(); // 5
 */
export const globalNorm = (tree: unknown): Tensor => {
  const leaves = treeLeaves(tree);
  if (leaves.length === 0) return scalar(0);
  // One leaf's squares at a time: the temporaries of a large leaf are freed before the next.
  return scope(() => sqrt(leaves.map((x) => scope(() => sum(square(x)))).reduce((a, b) => add(a, b))));
};

/** The state of `clipByGlobalNorm`: the global norm of the last updates it saw, before clipping. */
export interface ClipByGlobalNormState {
  /** Pre-clip global norm of the most recent update (0 before the first), for logging. */
  readonly globalNorm: Tensor;
}

/**
 * Scales updates so their global L2 norm is at most `maxNorm`, as `torch.nn.utils.clip_grad_norm_`
 * does (and so Hugging Face's Trainer, `max_grad_norm = 1.0`): every update is multiplied by
 * `min(1, maxNorm / (norm + 1e-6))`, which keeps the direction and leaves small updates unchanged.
 * The pre-clip norm is kept in the state: read it with `lastGlobalNorm(state)`.
 * @example
 * const opt = chain(clipByGlobalNorm(1.0), adamw({ learningRate: 5e-5 }));
 * const [updates, next] = opt.update(grads, state, params);
 * console.log(lastGlobalNorm(next)?.item());
 */
export const clipByGlobalNorm = (maxNorm: number): GradientTransformation<ClipByGlobalNormState> => {
  if (!(maxNorm > 0)) throw new RangeError(`clipByGlobalNorm: maxNorm must be > 0, got ${maxNorm}`);
  return {
    init: () => ({ globalNorm: scalar(0) }),
    update: (updates) => {
      const norm = globalNorm(updates);
      // PyTorch: clip_coef = max_norm / (total_norm + 1e-6), clamped to 1.
      const coefficient = scope(() => minimum(div(maxNorm, add(norm, 1e-6)), 1));
      const clipped = zipLeaves([updates], ([u]) => mul(u!, coefficient));
      coefficient.dispose();
      return [clipped, { globalNorm: norm }] as const;
    },
    hyperparameters: { name: "clipByGlobalNorm", maxNorm },
  };
};

/**
 * The pre-clip global norm recorded by the first `clipByGlobalNorm` found in an optimizer state (a
 * chain, an `accumulate` wrapper, ...), or undefined when the optimizer does not clip.
 * @example
 * const norm = lastGlobalNorm(state)?.item();
 */
export const lastGlobalNorm = (state: unknown): Tensor | undefined => {
  if (state instanceof Tensor || state === null || typeof state !== "object") return undefined;
  if (!Array.isArray(state)) {
    const own = (state as Readonly<Record<string, unknown>>).globalNorm;
    if (own instanceof Tensor) return own;
  }
  for (const value of Object.values(state)) {
    const found = lastGlobalNorm(value);
    if (found) return found;
  }
  return undefined;
};
