/**
 * One optimizer update (`opt.update` + `applyUpdates`) over a model's parameter tree with random
 * gradients, timed `steps` times after 2 warm-up updates on the current backend: the optimizer benches'
 * shared loop.
 */
import { applyUpdates, type GradientTransformation } from "@scratchgrad/optim";
import * as sg from "@scratchgrad/tensor";

const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)]!;

/** Prints `label: median ms (median of steps; min ms)`. @example timeOptimizerUpdate("adamw", model, (p) => adamw(...), 10) */
export const timeOptimizerUpdate = (
  label: string,
  model: { init(key: sg.random.Key): unknown },
  makeOpt: (params: unknown) => GradientTransformation<unknown>,
  steps: number,
): void => {
  let params = model.init(sg.random.key(0)) as sg.Tree;
  const gradKeys = sg.random.split(sg.random.key(1), sg.treeLeaves(params).length);
  let leaf = 0;
  const grads = sg.treeMap(params, (p) => sg.random.normal(gradKeys[leaf++]!, p.shape));
  const opt = makeOpt(params);
  let state = opt.init(params);
  const times: number[] = [];
  for (let i = 0; i < steps + 2; i++) {
    const t0 = performance.now();
    const next = sg.scope(() => {
      const [updates, s] = opt.update(grads, state, params);
      return { params: applyUpdates(params, updates) as sg.Tree, state: s };
    });
    sg.disposeReplaced({ params, state }, next);
    params = next.params;
    state = next.state;
    if (i >= 2) times.push(performance.now() - t0);
  }
  sg.dispose({ params, state, grads });
  console.log(
    `${label}: ${median(times).toFixed(1)} ms (median of ${steps}; min ${Math.min(...times).toFixed(1)})`,
  );
};
