import {
  add,
  disposeReplaced,
  scope,
  square,
  sub,
  sum,
  type Tensor,
  tensor,
  treeFlatten,
  valueAndGrad,
} from "@scratchgrad/tensor";
import { describe, expect, it } from "vitest";
import { applyUpdates } from "./combine.js";
import { flattenState } from "./io/state-tree.js";
import { muonWithAdamW } from "./muon.js";
import { adam, adamw, sgd } from "./optimizers.js";
import { randomTensor, snapshot, uniformStream } from "./test-utils/helpers.js";
import type { GradientTransformation } from "./types.js";

// One battery, every optimizer (optax's habit): each must minimise a quadratic, keep state shaped
// like the parameters, and be pure.
const optimizers: [string, () => GradientTransformation<any>][] = [
  ["sgd", () => sgd({ learningRate: 0.1 })],
  ["sgd with momentum", () => sgd({ learningRate: 0.05, momentum: 0.9 })],
  ["sgd with nesterov momentum", () => sgd({ learningRate: 0.05, momentum: 0.9, nesterov: true })],
  ["adam", () => adam({ learningRate: 0.05 })],
  ["adamw", () => adamw({ learningRate: 0.05, weightDecay: 0.01 })],
  [
    "muon for the weight, adamw for the bias (muonWithAdamW)",
    () =>
      muonWithAdamW({
        muon: { learningRate: 0.05, weightDecay: 0.01 },
        adamw: { learningRate: 0.05, weightDecay: 0.01 },
      }),
  ],
];

type Params = { readonly layer: { readonly weight: Tensor; readonly bias: Tensor } };

const makeParams = (seed: number): Params => {
  const next = uniformStream(seed);
  return { layer: { weight: randomTensor(next, [3, 4]), bias: randomTensor(next, [4]) } };
};

describe.each(optimizers)("%s", (_, make) => {
  it("minimises a quadratic", () => {
    const target = makeParams(7);
    // ½‖p − target‖², minimum 0 at target (weight decay moves the minimum by ~wd·|target|: tiny).
    const loss = (p: Params) =>
      add(
        sum(square(sub(p.layer.weight, target.layer.weight))),
        sum(square(sub(p.layer.bias, target.layer.bias))),
      );
    const opt = make();
    let params = makeParams(1);
    let state = opt.init(params);
    const initial = loss(params).item();
    for (let i = 0; i < 100; i++) {
      const next = scope(() => {
        const [, grads] = valueAndGrad(loss)(params);
        const [updates, s] = opt.update(grads, state, params);
        return { params: applyUpdates(params, updates), state: s };
      });
      disposeReplaced({ params, state }, next);
      params = next.params;
      state = next.state;
    }
    const final = loss(params).item();
    expect(initial).toBeGreaterThan(1);
    expect(final).toBeLessThan(initial * 1e-2);
  });

  it("keeps state tensors shaped like the parameters they belong to", () => {
    const params = makeParams(1);
    const paramShapes = new Map([...treeFlatten(params)].map(([path, t]) => [path, t.shape]));
    const opt = make();
    const check = (state: unknown) => {
      for (const [path, t] of flattenState(state).tensors) {
        const owner = [...paramShapes.keys()].find((p) => path.endsWith(`.${p}`));
        expect(owner, `state tensor ${path} mirrors no parameter`).toBeDefined();
        expect(t.shape, path).toEqual(paramShapes.get(owner!));
        expect(t.dtype).toBe("float32");
      }
    };
    const state = opt.init(params);
    check(state);
    const [updates, next] = opt.update(makeParams(2), state, params);
    check(next);
    expect(updates.layer.weight.shape).toEqual([3, 4]);
    expect(updates.layer.bias.shape).toEqual([4]);
  });

  it("is pure: same inputs give the same outputs and leave the inputs unchanged", () => {
    const opt = make();
    const params = makeParams(1);
    const grads = makeParams(2);
    // A state one step in, so momentum/moments are non-zero.
    const [, state] = opt.update(makeParams(3), opt.init(params), params);
    const before = { params: snapshot(params), grads: snapshot(grads), state: snapshot(state) };
    const staticsBefore = [...flattenState(state).statics];
    const first = opt.update(grads, state, params);
    const second = opt.update(grads, state, params);
    expect(snapshot(first)).toEqual(snapshot(second));
    expect({ params: snapshot(params), grads: snapshot(grads), state: snapshot(state) }).toEqual(before);
    expect([...flattenState(state).statics]).toEqual(staticsBefore); // step counts untouched too
  });

  it("describes itself as JSON for saved state", () => {
    const h = make().hyperparameters;
    expect(JSON.parse(JSON.stringify(h))).toEqual(h);
  });
});

it("sgd's update is −lr·g", () => {
  const p = tensor([1, 2]);
  const opt = sgd({ learningRate: 0.5 });
  const [u] = opt.update(tensor([2, -4]), opt.init(p), p);
  expect(u.toArray()).toEqual([-1, 2]);
});
