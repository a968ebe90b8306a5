/**
 * A minimal Adam written for the overfitting tests (the optim package is developed separately): enough
 * to show a model can drive a loss to zero, nothing more. Test-only.
 */
import {
  add,
  currentBackend,
  disposeReplaced,
  div,
  mul,
  scope,
  sqrt,
  sub,
  type Tensor,
  treeMap,
  treeZip,
  valueAndGrad,
  zerosLike,
} from "@scratchgrad/tensor";

/**
 * Runs `steps` Adam steps (β = 0.9, 0.999) of `lossFn` from `params`; returns the losses and the final
 * parameters, and the live buffer count after each step. Each step runs in a scope and the previous
 * state is disposed, so memory stays flat.
 */
export const adamOverfit = <P extends object>(
  params: P,
  lossFn: (p: P, step: number) => Tensor,
  { steps, lr }: { steps: number; lr: number },
): { losses: number[]; params: P; liveBuffers: number[] } => {
  let state = { params, m: treeMap(params, zerosLike), v: treeMap(params, zerosLike) };
  const losses: number[] = [];
  const liveBuffers: number[] = [];
  for (let t = 1; t <= steps; t++) {
    const next = scope(() => {
      const [loss, g] = valueAndGrad((p: P) => lossFn(p, t))(state.params);
      losses.push(loss.data()[0]!);
      const m = treeZip([state.m, g], ([mi, gi]) => add(mul(mi!, 0.9), mul(gi!, 0.1)));
      const v = treeZip([state.v, g], ([vi, gi]) => add(mul(vi!, 0.999), mul(mul(gi!, gi!), 0.001)));
      const c1 = 1 / (1 - 0.9 ** t);
      const c2 = 1 / (1 - 0.999 ** t);
      const p = treeZip([state.params, m, v], ([pi, mi, vi]) =>
        sub(pi!, mul(div(mul(mi!, c1), add(sqrt(mul(vi!, c2)), 1e-8)), lr)),
      );
      return { params: p, m, v };
    });
    if (t > 1) disposeReplaced(state, next);
    state = next;
    liveBuffers.push(currentBackend().liveBuffers());
  }
  return { losses, params: state.params, liveBuffers };
};
