import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { disposeReplaced, scope, type Tensor, tensor, treeFlatten, zeros } from "@scratchgrad/tensor";
import fc from "fast-check";
import * as E from "fp-ts/lib/Either.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyUpdates } from "./combine.js";
import { loadOptimizerState, saveOptimizerState } from "./io/state-io.js";
import { decayMask } from "./mask.js";
import { huggingFaceLayout, isHiddenMatrix, muon, muonWithAdamW } from "./muon.js";
import { adamw } from "./optimizers.js";
import { cosineWarmupDecay } from "./schedules.js";
import { randomTensor, snapshot, uniformStream } from "./test-utils/helpers.js";
import { axpby64, type Matrix64, matrix64, newtonSchulz64 } from "./test-utils/linalg64.js";
import { muonScale } from "./transforms/muon.js";
import type { GradientTransformation } from "./types.js";

const float32Values = (next: () => number, n: number): number[] =>
  Array.from(Float32Array.from({ length: n }, () => 2 * next() - 1));

describe("muon", () => {
  it("three steps equal a float64 transcription of torch.optim.Muon (Keller Jordan's muon_update)", () => {
    const caseArb = fc.record({
      rows: fc.integer({ min: 1, max: 12 }),
      cols: fc.integer({ min: 1, max: 12 }),
      seed: fc.integer({ min: 1, max: 1e6 }),
      nesterov: fc.boolean(),
      scaling: fc.constantFrom("original" as const, "matchRmsAdamW" as const),
      layout: fc.constantFrom("out-in" as const, "in-out" as const),
    });
    fc.assert(
      fc.property(caseArb, ({ rows, cols, seed, nesterov, scaling, layout }) =>
        scope(() => {
          const [lr, weightDecay, beta] = [0.02, 0.1, 0.95];
          const next = uniformStream(seed);
          const p0 = float32Values(next, rows * cols);
          const grads = [0, 1, 2].map(() => float32Values(next, rows * cols));
          // float64 reference, step for step as torch.optim.Muon:
          //   buf.lerp_(g, 1 − β); u = g.lerp(buf, β) if nesterov else buf
          //   p.mul_(1 − lr·λ); p.add_(zeropower(u), alpha = −lr·adjust(shape))
          let p: Matrix64 = matrix64(rows, cols, p0);
          let buf: Matrix64 = matrix64(rows, cols);
          const [fanOut, fanIn] = layout === "out-in" ? [rows, cols] : [cols, rows];
          const adjust =
            scaling === "original"
              ? Math.sqrt(Math.max(1, fanOut / fanIn))
              : 0.2 * Math.sqrt(Math.max(rows, cols));
          for (const g of grads) {
            const gm = matrix64(rows, cols, g);
            buf = axpby64(beta, buf, 1 - beta, gm);
            const u = nesterov ? axpby64(1 - beta, gm, beta, buf) : buf;
            p = axpby64(1 - lr * weightDecay, p, -lr * adjust, newtonSchulz64(u));
          }
          const opt = muon({ learningRate: lr, weightDecay, momentum: beta, nesterov, scaling, layout });
          let params = { w: tensor(Float32Array.from(p0), [rows, cols]) };
          let state = opt.init(params);
          for (const g of grads) {
            const [updates, s] = opt.update({ w: tensor(Float32Array.from(g), [rows, cols]) }, state, params);
            params = applyUpdates(params, updates);
            state = s;
          }
          const got = params.w.data();
          for (const [i, e] of p.data.entries()) expect(Math.abs(got[i]! - e)).toBeLessThan(1e-6);
          expect(state[0].count).toBe(3);
        }),
      ),
      { numRuns: 40 },
    );
  });

  it("scales by √max(1, fan-out/fan-in) by default and 0.2·√max(rows, cols) when RMS-matched", () => {
    expect(muonScale([384, 128])).toBeCloseTo(Math.sqrt(3), 12); // [out, in]: fan-out 384
    expect(muonScale([128, 384])).toBe(1); // [out, in]: fan-in 384
    expect(muonScale([128, 384], "original", "in-out")).toBeCloseTo(Math.sqrt(3), 12); // GPT-2 c_attn
    expect(muonScale([128, 512], "matchRmsAdamW")).toBeCloseTo(0.2 * Math.sqrt(512), 12);
    expect(muonScale([512, 128], "matchRmsAdamW", "in-out")).toBeCloseTo(0.2 * Math.sqrt(512), 12);
  });

  it("rejects a parameter that is not a matrix, naming it and the fix", () => {
    const opt = muon({ learningRate: 0.02 });
    const params = { "ln_f.weight": zeros([4]) };
    expect(() => opt.update(params, opt.init(params), params)).toThrow(
      /"ln_f\.weight" has shape \[4\].*route it to AdamW with multiTransform/,
    );
  });

  it("describes itself as flat JSON", () => {
    const h = muon({ learningRate: 0.02, weightDecay: 0 }).hyperparameters as Record<string, unknown>;
    expect(h).toMatchObject({
      name: "muon",
      learningRate: 0.02,
      weightDecay: 0,
      momentum: 0.95,
      nesterov: true,
      nsSteps: 5,
      nsCoefficients: [3.4445, -4.775, 2.0315],
      scaling: "original",
    });
  });
});

// The parameter names of a 2-layer GPT-2 (HF GPT2LMHeadModel) and BERT (BertForMaskedLM), and what
// Muon should take: hidden matrices only.
const GPT2_NAMES: readonly [string, readonly number[], boolean][] = [
  ["transformer.wte.weight", [50, 8], false],
  ["transformer.wpe.weight", [16, 8], false],
  ...[0, 1].flatMap((i): [string, readonly number[], boolean][] => [
    [`transformer.h.${i}.ln_1.weight`, [8], false],
    [`transformer.h.${i}.ln_1.bias`, [8], false],
    [`transformer.h.${i}.attn.c_attn.weight`, [8, 24], true],
    [`transformer.h.${i}.attn.c_attn.bias`, [24], false],
    [`transformer.h.${i}.attn.c_proj.weight`, [8, 8], true],
    [`transformer.h.${i}.attn.c_proj.bias`, [8], false],
    [`transformer.h.${i}.ln_2.weight`, [8], false],
    [`transformer.h.${i}.ln_2.bias`, [8], false],
    [`transformer.h.${i}.mlp.c_fc.weight`, [8, 32], true],
    [`transformer.h.${i}.mlp.c_fc.bias`, [32], false],
    [`transformer.h.${i}.mlp.c_proj.weight`, [32, 8], true],
    [`transformer.h.${i}.mlp.c_proj.bias`, [8], false],
  ]),
  ["transformer.ln_f.weight", [8], false],
  ["transformer.ln_f.bias", [8], false],
];
const BERT_NAMES: readonly [string, readonly number[], boolean][] = [
  ["bert.embeddings.word_embeddings.weight", [50, 8], false],
  ["bert.embeddings.position_embeddings.weight", [16, 8], false],
  ["bert.embeddings.token_type_embeddings.weight", [2, 8], false],
  ["bert.embeddings.LayerNorm.weight", [8], false],
  ["bert.embeddings.LayerNorm.bias", [8], false],
  ["bert.encoder.layer.0.attention.self.query.weight", [8, 8], true],
  ["bert.encoder.layer.0.attention.self.query.bias", [8], false],
  ["bert.encoder.layer.0.attention.output.dense.weight", [8, 8], true],
  ["bert.encoder.layer.0.attention.output.LayerNorm.weight", [8], false],
  ["bert.encoder.layer.0.intermediate.dense.weight", [32, 8], true],
  ["bert.encoder.layer.0.output.dense.weight", [8, 32], true],
  ["bert.encoder.layer.0.output.LayerNorm.bias", [8], false],
  ["cls.predictions.bias", [50], false],
  ["cls.predictions.transform.dense.weight", [8, 8], true],
  ["cls.predictions.transform.LayerNorm.weight", [8], false],
];

describe("isHiddenMatrix / huggingFaceLayout", () => {
  it.each([
    ["GPT-2", GPT2_NAMES],
    ["BERT", BERT_NAMES],
  ])("routes %s's hidden matrices to Muon and embeddings, head, LayerNorm and biases away", (_, names) => {
    for (const [path, shape, hidden] of names) expect(isHiddenMatrix(path, zeros(shape)), path).toBe(hidden);
  });
  it("knows GPT-2's Conv1D weights are [in, out] and BERT's Linear weights [out, in]", () => {
    expect(huggingFaceLayout("transformer.h.0.attn.c_attn.weight")).toBe("in-out");
    expect(huggingFaceLayout("transformer.h.3.mlp.c_proj.weight")).toBe("in-out");
    expect(huggingFaceLayout("bert.encoder.layer.0.intermediate.dense.weight")).toBe("out-in");
  });
});

// A GPT-2-shaped tree (nested as the model's params are) with random values.
type Tree = { readonly [key: string]: Tree } | Tensor;
const gpt2Tree = (seed: number, scale = 1): Tree => {
  const next = uniformStream(seed);
  const root: Record<string, unknown> = {};
  for (const [path, shape] of GPT2_NAMES) {
    const keys = path.split(".");
    let node = root;
    for (const k of keys.slice(0, -1)) {
      node[k] = node[k] ?? {};
      node = node[k] as Record<string, unknown>;
    }
    node[keys.at(-1)!] = randomTensor(next, shape, scale);
  }
  return root as Tree;
};
// Arrays, as the model has them: `h` is a list of blocks.
const asModelTree = (t: Tree): unknown => {
  const tr = (t as Record<string, Record<string, unknown>>).transformer!;
  const h = tr.h as Record<string, unknown>;
  return { transformer: { ...tr, h: Object.keys(h).map((k) => h[k]) } };
};

describe("muonWithAdamW", () => {
  const make = (params: unknown) =>
    muonWithAdamW({
      muon: {
        learningRate: cosineWarmupDecay({ peak: 0.02, warmupSteps: 2, totalSteps: 10 }),
        weightDecay: 0.01,
      },
      adamw: {
        learningRate: cosineWarmupDecay({ peak: 2e-3, warmupSteps: 2, totalSteps: 10 }),
        weightDecay: 0.1,
        mask: decayMask(params),
      },
    });

  it("gives the hidden matrices Muon's update (Conv1D layout) and everything else AdamW's", () => {
    scope(() => {
      const params = asModelTree(gpt2Tree(1)) as Record<string, unknown>;
      const grads = asModelTree(gpt2Tree(2, 0.1));
      const opt = make(params);
      const [updates] = opt.update(grads, opt.init(params), params);
      const alone = (optimizer: GradientTransformation<any>, hidden: boolean) => {
        const pick = (tree: unknown) =>
          Object.fromEntries(
            Object.entries(snapshotTensors(tree)).filter(([path, t]) => isHiddenMatrix(path, t) === hidden),
          );
        const [u] = optimizer.update(pick(grads), optimizer.init(pick(params)), pick(params));
        return snapshot(u);
      };
      const muonAlone = alone(
        muon({
          learningRate: cosineWarmupDecay({ peak: 0.02, warmupSteps: 2, totalSteps: 10 }),
          weightDecay: 0.01,
          layout: "in-out",
        }),
        true,
      );
      const adamwAlone = alone(
        adamw({
          learningRate: cosineWarmupDecay({ peak: 2e-3, warmupSteps: 2, totalSteps: 10 }),
          weightDecay: 0.1,
          mask: decayMask(params),
        }),
        false,
      );
      const got = snapshot(updates);
      expect(Object.keys(got).sort()).toEqual(GPT2_NAMES.map(([p]) => p).sort());
      expect(Object.keys(muonAlone)).toHaveLength(8);
      for (const [path, values] of Object.entries({ ...muonAlone, ...adamwAlone }))
        expect(got[path], path).toEqual(values);
    });
  });

  describe("save → load → continue", () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "optim-muon-"));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });
    const train = (
      opt: ReturnType<typeof make>,
      start: { params: unknown; state: unknown },
      from: number,
      to: number,
    ) => {
      let current = start as { params: unknown; state: ReturnType<ReturnType<typeof make>["init"]> };
      for (let step = from; step < to; step++) {
        const next = scope(() => {
          const [u, s] = opt.update(asModelTree(gpt2Tree(100 + step, 0.1)), current.state, current.params);
          return { params: applyUpdates(current.params, u), state: s };
        });
        disposeReplaced(current, next);
        current = next;
      }
      return current;
    };

    it("resumes bit for bit: 4 steps, save, load, 3 more = 7 steps straight", async () => {
      const params0 = () => asModelTree(gpt2Tree(1));
      const straightOpt = make(params0());
      const straight = train(straightOpt, { params: params0(), state: straightOpt.init(params0()) }, 0, 7);

      const opt = make(params0());
      const half = train(opt, { params: params0(), state: opt.init(params0()) }, 0, 4);
      const path = join(dir, "muon-adamw");
      expect(await saveOptimizerState(half.state, path, opt)()).toEqual(E.right(undefined));
      const freshOpt = make(params0());
      const loaded = await loadOptimizerState(path, freshOpt, params0())();
      if (E.isLeft(loaded)) throw new Error(loaded.left.message);
      expect(snapshot(loaded.right)).toEqual(snapshot(half.state));
      expect(Object.keys(snapshot(loaded.right))).toContain(
        "inner.muon.0.mu.transformer.h.1.mlp.c_fc.weight",
      );
      expect(Object.keys(snapshot(loaded.right))).toContain("inner.adamw.0.nu.transformer.wte.weight");
      const resumed = train(freshOpt, { params: half.params, state: loaded.right }, 4, 7);
      expect(snapshot(resumed.params)).toEqual(snapshot(straight.params));
      expect(snapshot(resumed.state)).toEqual(snapshot(straight.state));
    });

    it("refuses a state saved with other routing, naming the parameters", async () => {
      const params = asModelTree(gpt2Tree(1));
      const opt = make(params);
      const path = join(dir, "routing");
      expect(await saveOptimizerState(opt.init(params), path, opt)()).toEqual(E.right(undefined));
      const allAdamW = muonWithAdamW({
        muon: { learningRate: 0.02 },
        adamw: { learningRate: 2e-3, weightDecay: 0.1, mask: decayMask(params) },
        isMuonParam: () => false,
      });
      const loaded = await loadOptimizerState(path, allAdamW, params, { allowHyperparameterChange: true })();
      expect(E.isLeft(loaded) && loaded.left._tag).toBe("TreeMismatch");
      expect(E.isLeft(loaded) && loaded.left.message).toMatch(
        /missing inner\.adamw\.0\.mu\.transformer\.h\.0\.attn\.c_attn\.weight/,
      );
    });
  });
});

const snapshotTensors = (tree: unknown): Record<string, Tensor> => Object.fromEntries(treeFlatten(tree));
