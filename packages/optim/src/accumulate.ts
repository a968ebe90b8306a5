import { add, div, scope, treeMap, zerosLike } from "@scratchgrad/tensor";
import { zipLeaves } from "./tree-utils.js";
import type { GradientTransformation } from "./types.js";

/** The state of `accumulate`: the running gradient sum, the micro-step within the current window and the inner state. */
export interface AccumulateState<S> {
  /** Micro-steps already summed into `accumulated` (0 … k − 1). */
  readonly miniStep: number;
  /** Inner updates made so far (optimizer steps, as a trainer counts them). */
  readonly gradientStep: number;
  /** Σ of the gradients of the current window, shaped like the parameters. */
  readonly accumulated: unknown;
  readonly inner: S;
}

/**
 * Gradient accumulation (optax's `MultiSteps`): call `update` once per micro-batch; the first k − 1
 * calls only sum the gradients and return zero updates; the k-th passes the mean of the k gradients to
 * `inner` and returns its updates. Equivalent to Hugging Face's `gradient_accumulation_steps = k`
 * (the loss divided by k, gradients summed, one optimizer step; clipping inside `inner` sees the
 * averaged gradient, as HF clips after accumulation). Schedules inside `inner` count optimizer steps.
 * @example
 * const opt = accumulate(4, chain(clipByGlobalNorm(1), adamw({ learningRate: 3e-4 })));
 */
export const accumulate = <S>(
  k: number,
  inner: GradientTransformation<S>,
): GradientTransformation<AccumulateState<S>> => {
  if (!Number.isInteger(k) || k < 1)
    throw new RangeError(`accumulate: k must be a positive integer (micro-batches per step), got ${k}`);
  return {
    init: (params) => ({
      miniStep: 0,
      gradientStep: 0,
      accumulated: treeMap(params, zerosLike),
      inner: inner.init(params),
    }),
    // In a scope: the window's sum and mean are freed once the inner step has used them.
    update: (updates, state, params) =>
      scope(() => {
        const summed = zipLeaves([updates, state.accumulated], ([g, a]) => add(a!, g!));
        if (state.miniStep + 1 < k) {
          const zeros = treeMap(updates, zerosLike);
          return [zeros, { ...state, miniStep: state.miniStep + 1, accumulated: summed }] as const;
        }
        const mean = zipLeaves([summed], ([s]) => div(s!, k));
        const [out, innerState] = inner.update(mean, state.inner, params);
        const next: AccumulateState<S> = {
          miniStep: 0,
          gradientStep: state.gradientStep + 1,
          accumulated: treeMap(summed, zerosLike),
          inner: innerState,
        };
        return [out, next] as const;
      }),
    hyperparameters: { name: "accumulate", k, inner: inner.hyperparameters ?? null },
  };
};

/** optax's name for `accumulate`. */
export const multiSteps = accumulate;
