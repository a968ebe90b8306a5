import { add, scope, treeZip } from "@scratchgrad/tensor";
import type { EmptyState, GradientTransformation, Json, StateOf } from "./types.js";

/**
 * Runs transformations one after another: each one's outgoing updates are the next one's input. The
 * state is the tuple of the member states, in order.
 * @example
 * const opt = chain(clipByGlobalNorm(1.0), scaleByAdam(), scaleByLearningRate(1e-3));
 */
export const chain = <const Ts extends readonly GradientTransformation<any>[]>(
  ...transforms: Ts
): GradientTransformation<{ readonly [K in keyof Ts]: StateOf<Ts[K]> }> => {
  type S = { readonly [K in keyof Ts]: StateOf<Ts[K]> };
  return {
    init: (params) => transforms.map((t) => t.init(params)) as unknown as S,
    // In a scope: the intermediate updates between members are freed when the chain returns.
    update: (updates, state, params) =>
      scope(() => {
        const states = state as unknown as readonly unknown[];
        if (!Array.isArray(states) || states.length !== transforms.length) {
          throw new TypeError(
            `chain: state has ${Array.isArray(states) ? states.length : "no"} entries, the chain has ${transforms.length}; build it with this chain's init(params)`,
          );
        }
        let current = updates;
        const next: unknown[] = [];
        transforms.forEach((t, i) => {
          const [u, s] = t.update(current, states[i], params);
          current = u;
          next.push(s);
        });
        return [current, next as unknown as S] as const;
      }),
    hyperparameters: transforms.map((t) => t.hyperparameters ?? null) as Json,
  };
};

/**
 * The transformation that changes nothing (state `{}`).
 * @example
 * const opt = useClipping ? clipByGlobalNorm(1) : identity();
 */
export const identity = (): GradientTransformation<EmptyState> => ({
  init: () => ({}),
  update: (updates, state) => [updates, state] as const,
  hyperparameters: { name: "identity" },
});

/**
 * Adds updates to parameters: `params + updates`, leaf by leaf (updates already carry the minus sign).
 * @example
 * const [updates, nextState] = opt.update(grads, state, params);
 * const nextParams = applyUpdates(params, updates);
 */
export const applyUpdates = <P>(params: P, updates: P): P =>
  treeZip([params, updates], ([p, u]) => add(p!, u!));
