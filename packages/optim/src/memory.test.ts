import {
  add,
  currentBackend,
  dispose,
  disposeReplaced,
  matmul,
  mean,
  scope,
  square,
  sub,
  type Tensor,
  treeLeaves,
  treeMap,
  valueAndGrad,
} from "@scratchgrad/tensor";
import { expect, it } from "vitest";
import { accumulate } from "./accumulate.js";
import { applyUpdates, chain } from "./combine.js";
import { decayMask } from "./mask.js";
import { adamw, sgd } from "./optimizers.js";
import { cosineWarmupDecay } from "./schedules.js";
import { randomTensor, uniformStream } from "./test-utils/helpers.js";
import { clipByGlobalNorm, lastGlobalNorm } from "./transforms/clip.js";
import type { GradientTransformation } from "./types.js";

type Params = { readonly dense: { readonly weight: Tensor; readonly bias: Tensor } };

it("a training step in scope + disposeReplaced keeps the live buffer count flat over 200 steps", () => {
  const backend = currentBackend();
  const next = uniformStream(5);
  const x = randomTensor(next, [8, 4]);
  const y = randomTensor(next, [8, 2]);
  let params: Params = { dense: { weight: randomTensor(next, [4, 2]), bias: randomTensor(next, [2]) } };
  const loss = (p: Params) => mean(square(sub(add(matmul(x, p.dense.weight), p.dense.bias), y)));
  // Everything that holds state: accumulation, clipping (a norm tensor), AdamW moments, a schedule.
  const opt = accumulate(
    2,
    chain(
      clipByGlobalNorm(1),
      adamw({
        learningRate: cosineWarmupDecay({ peak: 0.05, warmupSteps: 10, totalSteps: 100 }),
        weightDecay: 0.1,
        mask: decayMask(params),
      }),
    ),
  );
  let state = opt.init(params);
  const counts: number[] = [];
  const losses: number[] = [];
  for (let step = 0; step < 200; step++) {
    const result = scope(() => {
      const [value, grads] = valueAndGrad(loss)(params);
      const [updates, nextState] = opt.update(grads, state, params);
      return { params: applyUpdates(params, updates), state: nextState, loss: value };
    });
    disposeReplaced({ params, state }, result);
    params = result.params;
    state = result.state;
    losses.push(result.loss.item());
    result.loss.dispose();
    lastGlobalNorm(state)?.item(); // logging reads do not allocate lasting buffers
    counts.push(backend.liveBuffers());
  }
  // After the first steps (kernel warm-up, first accumulation window) the count must not move.
  expect(counts.slice(4)).toEqual(counts.slice(4).map(() => counts[4]));
  expect(losses.at(-1)).toBeLessThan(losses[0]! * 0.8);
});

it.each([
  ["accumulate(2, clip + adamw)", false],
  ["sgd with nesterov momentum", true],
])("%s: update leaves nothing alive but its outputs (temporaries are freed leaf by leaf)", (_, useSgd) => {
  const backend = currentBackend();
  const next = uniformStream(9);
  const params = {
    a: { weight: randomTensor(next, [5, 3]), bias: randomTensor(next, [3]) },
    b: [randomTensor(next, [2, 2])],
  };
  const grads = treeMap(params, (p) => randomTensor(next, p.shape));
  const opt: GradientTransformation<any> = useSgd
    ? sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true })
    : accumulate(2, chain(clipByGlobalNorm(0.5), adamw({ learningRate: 0.01, mask: decayMask(params) })));
  let state = opt.init(params);
  for (let call = 0; call < 3; call++) {
    // Outside any scope: whatever update allocates and does not return would stay alive.
    const before = backend.liveBuffers();
    const [updates, nextState] = opt.update(grads, state, params);
    const inputs = new Set(treeLeaves([grads, state, params]));
    const created = new Set(treeLeaves([updates, nextState]).filter((t) => !inputs.has(t)));
    expect(backend.liveBuffers() - before).toBe(created.size);
    disposeReplaced(state, nextState);
    dispose(updates);
    state = nextState;
  }
});
