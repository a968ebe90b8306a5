/**
 * A learning-rate schedule: a pure function from the optimizer step (0 for the first update) to the
 * learning rate used by that update. PyTorch's `LambdaLR` gives update k the rate `lr_lambda(k)`; so do we.
 * @example
 * const lr: Schedule = (step) => 3e-4 * Math.min(1, (step + 1) / 100);
 */
export type Schedule = (step: number) => number;

/** A learning rate: a fixed number or a schedule evaluated at each update. */
export type LearningRate = number | Schedule;

/** Plain JSON values, for the hyperparameters an optimizer records beside its saved state. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/**
 * An optax-style gradient transformation: a pair of pure functions over pytrees.
 *
 * - `init(params)` builds the state (a readonly tree of tensors and plain numbers, e.g. Adam's moments
 *   and step count).
 * - `update(updates, state, params?)` maps incoming updates (at the start of a chain: gradients) to
 *   outgoing updates and the next state. Nothing is mutated; the previous state stays valid until the
 *   caller disposes it (`disposeReplaced(state, nextState)`).
 *
 * Optimizers are chains of transformations (`chain(scaleByAdam(), scaleByLearningRate(lr))`); the final
 * updates are added to the parameters with `applyUpdates`.
 * @example
 * const opt = adamw({ learningRate: 3e-4 });
 * let state = opt.init(params);
 * const [updates, next] = opt.update(grads, state, params);
 * params = applyUpdates(params, updates);
 */
export interface GradientTransformation<S = unknown> {
  readonly init: (params: unknown) => S;
  readonly update: <P>(updates: P, state: S, params?: P) => readonly [P, S];
  /** What this transformation is, as JSON: written beside saved state and checked when it is loaded. */
  readonly hyperparameters?: Json;
}

/** The state type of a gradient transformation. */
export type StateOf<G> = G extends GradientTransformation<infer S> ? S : never;

/** The empty state of stateless transformations. */
export type EmptyState = Readonly<Record<string, never>>;

/** Describes a learning rate for `hyperparameters` (a schedule is a function: only its kind is recorded). */
export const describeLearningRate = (lr: LearningRate): Json => (typeof lr === "number" ? lr : "schedule");

/** Fails with a message naming the transformation when a transformation needs `params` and got none. */
export const requireParams = <P>(name: string, params: P | undefined): P => {
  if (params === undefined) {
    throw new TypeError(
      `${name}: update(updates, state, params) needs params; pass the current parameters as the third argument`,
    );
  }
  return params;
};
