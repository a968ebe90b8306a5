import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scope, type Tensor, treeFlatten } from "@scratchgrad/tensor";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { applyUpdates, chain } from "./combine.js";
import { loadOptimizerState, saveOptimizerState } from "./io/state-io.js";
import { flattenState } from "./io/state-tree.js";
import { labelByPath, multiTransform } from "./multi-transform.js";
import { adamw, sgd } from "./optimizers.js";
import { randomTensor, snapshot, uniformStream } from "./test-utils/helpers.js";
import { clipByGlobalNorm } from "./transforms/clip.js";

type Params = {
  readonly h: readonly { readonly weight: Tensor; readonly bias: Tensor }[];
  readonly head: Tensor;
};
const makeParams = (seed: number, scale = 1): Params => {
  const next = uniformStream(seed);
  return {
    h: [0, 1].map(() => ({
      weight: randomTensor(next, [3, 2], scale),
      bias: randomTensor(next, [2], scale),
    })),
    head: randomTensor(next, [2, 4], scale),
  };
};

// Three spellings of the same labels: a tree shaped like the params, a flat record by dotted path,
// and a function of path and value.
const labelTree = {
  h: [
    { weight: "fast", bias: "slow" },
    { weight: "fast", bias: "slow" },
  ],
  head: "slow",
};
const flatLabels = {
  "h.0.weight": "fast",
  "h.0.bias": "slow",
  "h.1.weight": "fast",
  "h.1.bias": "slow",
  head: "slow",
};
const byPath = labelByPath((path, p) => (p.rank === 2 && path !== "head" ? "fast" : "slow"));

describe("multiTransform", () => {
  it.each([
    ["a label tree", labelTree],
    ["a flat record of dotted paths", flatLabels],
    ["labelByPath", byPath],
    ["a function of the params", () => labelTree],
  ])("routes each parameter to its label's transformation (labels as %s)", (_, labels) => {
    scope(() => {
      const params = makeParams(1);
      const grads = makeParams(2);
      const opt = multiTransform(
        { fast: sgd({ learningRate: 1 }), slow: sgd({ learningRate: 0.25 }) },
        labels,
      );
      const [updates] = opt.update(grads, opt.init(params), params);
      const g = snapshot(grads);
      const u = snapshot(updates);
      expect(Object.keys(u)).toEqual(Object.keys(g)); // same tree, same order
      for (const [path, values] of Object.entries(g)) {
        const lr = flatLabels[path as keyof typeof flatLabels] === "fast" ? 1 : 0.25;
        expect(u[path], path).toEqual(values.map((x) => Math.fround(-lr * x)));
      }
      expect(Array.isArray((updates as Params).h)).toBe(true);
    });
  });

  it("gives each transformation only its own parameters: state and updates equal running it alone", () => {
    scope(() => {
      const params = makeParams(1);
      const opt = multiTransform(
        {
          fast: adamw({ learningRate: 0.1 }),
          slow: chain(clipByGlobalNorm(0.5), adamw({ learningRate: 0.01 })),
        },
        labelTree,
      );
      let state = opt.init(params);
      let current = params;
      const slowAlone = chain(clipByGlobalNorm(0.5), adamw({ learningRate: 0.01 }));
      const pick = (tree: unknown) =>
        Object.fromEntries(
          [...treeFlatten(tree)].filter(([path]) => flatLabels[path as keyof typeof flatLabels] === "slow"),
        );
      let slowState = slowAlone.init(pick(params));
      let slowParams = pick(params);
      for (let step = 0; step < 3; step++) {
        const grads = makeParams(10 + step);
        const [u, s] = opt.update(grads, state, current);
        current = applyUpdates(current, u);
        state = s;
        const [us, ss] = slowAlone.update(pick(grads), slowState, slowParams);
        slowParams = applyUpdates(slowParams, us);
        slowState = ss;
      }
      expect(Object.keys(state.inner)).toEqual(["fast", "slow"]);
      expect(snapshot(state.inner.slow)).toEqual(snapshot(slowState));
      expect(snapshot(pick(current))).toEqual(snapshot(slowParams));
      // Only the fast parameters have fast moments.
      const fastTensors = [...flattenState(state.inner.fast).tensors.keys()];
      expect(fastTensors.filter((k) => k.startsWith("0.mu."))).toEqual([
        "0.mu.h.0.weight",
        "0.mu.h.1.weight",
      ]);
    });
  });

  it("says which parameter has no label, or a label with no transformation", () => {
    const params = makeParams(1);
    const opt = multiTransform(
      { fast: sgd({ learningRate: 1 }), slow: sgd({ learningRate: 1 }) },
      { h: labelTree.h },
    );
    expect(() => opt.init(params)).toThrow(/parameter "head" has no label/);
    const typo = multiTransform(
      { fast: sgd({ learningRate: 1 }), slow: sgd({ learningRate: 1 }) },
      {
        ...flatLabels,
        head: "slwo",
      },
    );
    expect(() => typo.init(params)).toThrow(
      /"head" is labelled "slwo", which names no transformation; known labels: fast, slow/,
    );
  });

  it("lets a label stand for a whole subtree", () => {
    const params = makeParams(1);
    const opt = multiTransform(
      { fast: sgd({ learningRate: 1 }), slow: sgd({ learningRate: 0.5 }) },
      { h: "fast", "h.1.bias": "slow", head: "slow" },
    );
    const [updates] = opt.update(makeParams(2), opt.init(params), params);
    const g = snapshot(makeParams(2));
    const u = snapshot(updates);
    expect(u["h.0.bias"]).toEqual(g["h.0.bias"]!.map((x) => -x));
    expect(u["h.1.bias"]).toEqual(g["h.1.bias"]!.map((x) => Math.fround(-0.5 * x)));
  });

  it("keeps an empty state for a label no parameter has", () => {
    const params = makeParams(1);
    const opt = multiTransform(
      { fast: sgd({ learningRate: 1 }), unused: adamw({ learningRate: 1 }) },
      () => "fast",
    );
    const [updates, state] = opt.update(makeParams(2), opt.init(params), params);
    expect(flattenState(state.inner.unused).tensors.size).toBe(0);
    expect(snapshot(updates).head).toEqual(snapshot(makeParams(2)).head!.map((x) => -x));
  });

  it("saves and loads its state bit for bit, and records every transformation's hyperparameters", async () => {
    const dir = await mkdtemp(join(tmpdir(), "optim-multi-"));
    try {
      const params = makeParams(1);
      const make = () =>
        multiTransform(
          { fast: adamw({ learningRate: 0.1 }), slow: sgd({ learningRate: 0.1, momentum: 0.9 }) },
          labelTree,
        );
      const opt = make();
      const [, state] = opt.update(makeParams(2), opt.init(params), params);
      const path = join(dir, "multi");
      expect(await saveOptimizerState(state, path, opt)()).toEqual(E.right(undefined));
      const loaded = await loadOptimizerState(path, make(), params)();
      if (E.isLeft(loaded)) throw new Error(loaded.left.message);
      expect(snapshot(loaded.right)).toEqual(snapshot(state));
      expect([...flattenState(loaded.right).statics]).toEqual([...flattenState(state).statics]);
      const h = opt.hyperparameters as { transforms: Record<string, { name: string }>; labels: unknown };
      expect(h.transforms.fast!.name).toBe("adamw");
      expect(h.transforms.slow!.name).toBe("sgd");
      expect(h.labels).toEqual(labelTree);
      // A changed routing is a changed optimizer.
      const other = multiTransform(
        { fast: adamw({ learningRate: 0.1 }), slow: sgd({ learningRate: 0.1, momentum: 0.9 }) },
        flatLabels,
      );
      const refused = await loadOptimizerState(path, other, params)();
      expect(E.isLeft(refused) && refused.left._tag).toBe("HyperparameterMismatch");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
