import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { disposeReplaced, io, scope, type Tensor, zeros } from "@scratchgrad/tensor";
import * as E from "fp-ts/lib/Either.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accumulate } from "../accumulate.js";
import { applyUpdates, chain } from "../combine.js";
import { decayMask } from "../mask.js";
import { adamw } from "../optimizers.js";
import { cosineWarmupDecay } from "../schedules.js";
import { randomTensor, snapshot, uniformStream } from "../test-utils/helpers.js";
import { clipByGlobalNorm } from "../transforms/clip.js";
import { loadOptimizerState, saveOptimizerState } from "./state-io.js";

type Params = { readonly h: readonly { readonly weight: Tensor; readonly bias: Tensor }[] };
const params0 = (): Params => {
  const next = uniformStream(11);
  return { h: [0, 1].map(() => ({ weight: randomTensor(next, [3, 2]), bias: randomTensor(next, [2]) })) };
};
const gradient = (step: number): Params => {
  const next = uniformStream(100 + step);
  return {
    h: [0, 1].map(() => ({ weight: randomTensor(next, [3, 2], 2), bias: randomTensor(next, [2], 2) })),
  };
};
const makeOptimizer = (params: Params) =>
  accumulate(
    2,
    chain(
      clipByGlobalNorm(1),
      adamw({
        learningRate: cosineWarmupDecay({ peak: 0.05, warmupSteps: 2, totalSteps: 10 }),
        weightDecay: 0.1,
        mask: decayMask(params),
      }),
    ),
  );
type Opt = ReturnType<typeof makeOptimizer>;

const train = (opt: Opt, params: Params, state: ReturnType<Opt["init"]>, from: number, to: number) => {
  let current = { params, state };
  for (let step = from; step < to; step++) {
    const next = scope(() => {
      const [u, s] = opt.update(gradient(step), current.state, current.params);
      return { params: applyUpdates(current.params, u), state: s };
    });
    disposeReplaced(current, next);
    current = next;
  }
  return current;
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "optim-state-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("saveOptimizerState / loadOptimizerState", () => {
  it("resumes exactly: 5 steps, save, load, 4 more steps = 9 steps straight (bit for bit)", async () => {
    const straightOpt = makeOptimizer(params0());
    const straight = train(straightOpt, params0(), straightOpt.init(params0()), 0, 9);

    const opt = makeOptimizer(params0());
    const half = train(opt, params0(), opt.init(params0()), 0, 5); // stops mid-accumulation window
    const path = join(dir, "resume");
    expect(await saveOptimizerState(half.state, path, opt)()).toEqual(E.right(undefined));

    const freshOpt = makeOptimizer(params0());
    const loaded = await loadOptimizerState(`${path}.safetensors`, freshOpt, params0())();
    if (E.isLeft(loaded)) throw new Error(loaded.left.message);
    expect(snapshot(loaded.right)).toEqual(snapshot(half.state));
    expect(loaded.right.miniStep).toBe(1);
    expect(loaded.right.gradientStep).toBe(2);
    const resumed = train(freshOpt, half.params, loaded.right, 5, 9);
    expect(snapshot(resumed.params)).toEqual(snapshot(straight.params));
    expect(snapshot(resumed.state)).toEqual(snapshot(straight.state));

    const json = JSON.parse(await readFile(`${path}.json`, "utf8"));
    expect(json).toMatchObject({ format: "scratchgrad.optimizer-state", version: 1, step: 2 });
    expect(json.statics).toEqual({
      miniStep: 1,
      gradientStep: 2,
      "inner.1.0.count": 2,
      "inner.1.2.count": 2,
    });
    expect(json.hyperparameters.inner[1].name).toBe("adamw");
    const file = io.parseSafetensors(await readFile(`${path}.safetensors`));
    expect(E.isRight(file) && Object.keys(file.right.tensors).sort()).toContain("inner.1.0.mu.h.1.weight");
  });

  it("explains a mismatched parameter tree", async () => {
    const opt = makeOptimizer(params0());
    const path = join(dir, "mismatch");
    await saveOptimizerState(opt.init(params0()), path, opt)();
    const other = { h: [{ weight: zeros([3, 2]), bias: zeros([5]) }] };
    const loaded = await loadOptimizerState(path, opt, other)();
    expect(E.isLeft(loaded) && loaded.left._tag).toBe("TreeMismatch");
    if (E.isLeft(loaded) && loaded.left._tag === "TreeMismatch") {
      expect(loaded.left.unexpected).toContain("inner.1.0.mu.h.1.weight");
      expect(loaded.left.mismatched).toContain("inner.1.0.nu.h.0.bias (saved F32[2], expected F32[5])");
      expect(loaded.left.message).toMatch(/load it with the optimizer and parameter tree it was saved with/);
    }
  });

  it("refuses other hyperparameters unless allowed", async () => {
    const opt = makeOptimizer(params0());
    const path = join(dir, "hyper");
    await saveOptimizerState(opt.init(params0()), path, opt)();
    const other = adamw({ learningRate: 0.1 });
    const loaded = await loadOptimizerState(path, other, params0())();
    expect(E.isLeft(loaded) && loaded.left._tag).toBe("HyperparameterMismatch");
    // allowed: the tree still has to fit, and here it does not (adamw alone has no accumulator)
    const allowed = await loadOptimizerState(path, other, params0(), { allowHyperparameterChange: true })();
    expect(E.isLeft(allowed) && allowed.left._tag).toBe("TreeMismatch");
  });

  it("reports missing and corrupt files", async () => {
    const opt = makeOptimizer(params0());
    const missing = await loadOptimizerState(join(dir, "nope"), opt, params0())();
    expect(E.isLeft(missing) && missing.left._tag).toBe("IoError");
    const path = join(dir, "corrupt");
    await saveOptimizerState(opt.init(params0()), path, opt)();
    await writeFile(`${path}.safetensors`, new Uint8Array([1, 2, 3]));
    const corrupt = await loadOptimizerState(path, opt, params0())();
    expect(E.isLeft(corrupt) && corrupt.left._tag).toBe("InvalidFile");
    await writeFile(`${path}.json`, "{}");
    const badJson = await loadOptimizerState(path, opt, params0())();
    expect(E.isLeft(badJson) && badJson.left.message).toMatch(/not a scratchgrad.optimizer-state v1 file/);
  });
});
