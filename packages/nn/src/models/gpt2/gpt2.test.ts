import {
  crossEntropy,
  fromTypedArray,
  random,
  randomArrays,
  sliceAxis,
  type Tensor,
} from "@scratchgrad/tensor";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { adamOverfit } from "../../test-utils/train.js";
import { gpt2Config, validateGpt2Config } from "./config.js";
import { gpt2 } from "./model.js";

const ids = (values: ArrayLike<number>, shape: number[]): Tensor =>
  fromTypedArray(Int32Array.from(values), shape, "int32");
const randomIds = (seed: number, shape: number[], vocab: number): Tensor =>
  fromTypedArray(randomArrays.randint(random.key(seed), shape[0]! * shape[1]!, 0, vocab), shape, "int32");

/** GPT2LMHeadModel's state-dict names and shapes for a config, written out from HF's module tree. */
const hfGpt2Shapes = (v: number, p: number, c: number, layers: number): [string, number[]][] => [
  ["transformer.wte.weight", [v, c]],
  ["transformer.wpe.weight", [p, c]],
  ...Array.from({ length: layers }, (_, i): [string, number[]][] => [
    [`transformer.h.${i}.ln_1.weight`, [c]],
    [`transformer.h.${i}.ln_1.bias`, [c]],
    [`transformer.h.${i}.attn.c_attn.weight`, [c, 3 * c]],
    [`transformer.h.${i}.attn.c_attn.bias`, [3 * c]],
    [`transformer.h.${i}.attn.c_proj.weight`, [c, c]],
    [`transformer.h.${i}.attn.c_proj.bias`, [c]],
    [`transformer.h.${i}.ln_2.weight`, [c]],
    [`transformer.h.${i}.ln_2.bias`, [c]],
    [`transformer.h.${i}.mlp.c_fc.weight`, [c, 4 * c]],
    [`transformer.h.${i}.mlp.c_fc.bias`, [4 * c]],
    [`transformer.h.${i}.mlp.c_proj.weight`, [4 * c, c]],
    [`transformer.h.${i}.mlp.c_proj.bias`, [c]],
  ]).flat(),
  ["transformer.ln_f.weight", [c]],
  ["transformer.ln_f.bias", [c]],
];

const sorted = (entries: Iterable<[string, readonly number[]]>) =>
  [...entries].sort(([a], [b]) => (a < b ? -1 : 1));

describe("gpt2 preset", () => {
  test("has HF's parameter count (124,439,808; tied head counted once)", () => {
    expect(gpt2(gpt2Config("gpt2")).countParams()).toBe(124_439_808);
  });

  test("parameter names and shapes equal GPT2LMHeadModel's state dict (lm_head.weight is tied, not stored)", () => {
    const shapes = gpt2(gpt2Config("gpt2")).paramShapes();
    expect(sorted(shapes)).toEqual(sorted(hfGpt2Shapes(50257, 1024, 768, 12)));
  });

  test("small presets keep their shape and take vocab/positions overrides", () => {
    const c = gpt2Config("gpt2-tiny", { vocab_size: 8000, n_positions: 128 });
    expect([c.n_layer, c.n_embd, c.n_head, c.vocab_size, c.n_positions]).toEqual([2, 128, 4, 8000, 128]);
    expect(gpt2Config("gpt2-small-cpu").n_layer).toBe(4);
    expect([gpt2Config("gpt2-mini-cpu").n_layer, gpt2Config("gpt2-mini-cpu").n_embd]).toEqual([4, 128]);
    expect(() => gpt2Config("gpt2-tiny", { n_head: 3 })).toThrow(/not divisible by n_head 3/);
    expect(validateGpt2Config({ ...c, attn_pdrop: 1 })._tag).toBe("Left");
  });
});

const tiny = gpt2Config("gpt2", { vocab_size: 32, n_positions: 16, n_embd: 16, n_head: 2, n_layer: 2 });
const model = gpt2(tiny);
const params = model.init(random.key(0));
const evalCtx = { training: false };

describe("gpt2 init (HF _init_weights)", () => {
  const c = gpt2Config("gpt2-tiny", { vocab_size: 64 });
  const p = gpt2(c).init(random.key(1));
  const stats = (t: Tensor) => {
    const d = t.data() as Float32Array;
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    return { mean, std: Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length) };
  };
  const h0 = p.transformer.h[0]!;

  test("weights N(0, 0.02²); c_proj weights N(0, (0.02/√(2·n_layer))²)", () => {
    expect(stats(h0.attn.c_attn.weight).std).toBeCloseTo(0.02, 3);
    expect(stats(h0.mlp.c_fc.weight).std).toBeCloseTo(0.02, 3);
    expect(stats(p.transformer.wpe.weight).std).toBeCloseTo(0.02, 3);
    expect(stats(h0.attn.c_proj.weight).std).toBeCloseTo(0.02 / Math.sqrt(4), 3);
    expect(stats(h0.mlp.c_proj.weight).std).toBeCloseTo(0.02 / Math.sqrt(4), 3);
    expect(Math.abs(stats(h0.attn.c_attn.weight).mean)).toBeLessThan(1e-3);
  });

  test("biases zero, LayerNorms ones/zeros; init is a function of the key", () => {
    expect(new Set(h0.attn.c_attn.bias!.data())).toEqual(new Set([0]));
    expect(new Set(h0.ln_1.weight.data())).toEqual(new Set([1]));
    expect(new Set(p.transformer.ln_f.bias.data())).toEqual(new Set([0]));
    const again = gpt2(c).init(random.key(1));
    expect(again.transformer.wte.weight.data()).toEqual(p.transformer.wte.weight.data());
    expect(gpt2(c).init(random.key(2)).transformer.wte.weight.data()).not.toEqual(
      p.transformer.wte.weight.data(),
    );
  });
});

describe("gpt2 forward", () => {
  test("logits [B, T, V]; the loss is HF's shifted cross-entropy", () => {
    const x = randomIds(3, [2, 8], 32);
    const logits = model.apply(params, x, evalCtx);
    expect(logits.shape).toEqual([2, 8, 32]);
    const manual = crossEntropy(sliceAxis(logits, 1, 0, 7), sliceAxis(x, 1, 1, 8)).data()[0]!;
    expect(model.loss(params, { inputIds: x }, evalCtx).data()[0]).toBeCloseTo(manual, 5);
    expect(manual).toBeCloseTo(Math.log(32), 0); // near-uniform at init
  });

  test("causality: changing future tokens never changes earlier logits", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 31 }), { minLength: 16, maxLength: 16 }),
        fc.array(fc.integer({ min: 0, max: 31 }), { minLength: 16, maxLength: 16 }),
        fc.integer({ min: 0, max: 6 }),
        (a, b, cut) => {
          const changed = a.map((v, i) => (i % 8 > cut ? b[i]! : v));
          const before = model.apply(params, ids(a, [2, 8]), evalCtx).toArray() as number[][][];
          const after = model.apply(params, ids(changed, [2, 8]), evalCtx).toArray() as number[][][];
          for (let row = 0; row < 2; row++) {
            for (let t = 0; t <= cut; t++) {
              for (const [k, v] of before[row]![t]!.entries()) expect(after[row]![t]![k]).toBeCloseTo(v, 5);
            }
          }
        },
      ),
      { numRuns: 6 },
    );
  });

  test("attention mask: left-padding tokens never change the real tokens' logits", () => {
    const mask = ids([0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [2, 8]); // row 0 has 3 pad tokens
    const a = randomIds(11, [2, 8], 32).data();
    const b = Int32Array.from(a, (v, i) => (i < 3 ? (v + 5) % 32 : v));
    const before = model.apply(params, ids(a, [2, 8]), evalCtx, { attentionMask: mask }).data();
    const after = model.apply(params, ids(b, [2, 8]), evalCtx, { attentionMask: mask }).data();
    for (let i = 3 * 32; i < before.length; i++) expect(after[i]).toBeCloseTo(before[i]!, 5);
    const unmasked = model.apply(params, ids(b, [2, 8]), evalCtx).data();
    expect(unmasked.slice(3 * 32, 8 * 32)).not.toEqual(after.slice(3 * 32, 8 * 32));
  });

  test("incremental decoding with the KV cache equals the full forward", () => {
    const x = randomIds(4, [2, 8], 32);
    const full = model.apply(params, x, evalCtx).data();
    let { logits, cache } = model.applyWithCache(params, sliceAxis(x, 1, 0, 5), undefined, evalCtx);
    const pieces = [logits];
    for (let t = 5; t < 8; t++) {
      ({ logits, cache } = model.applyWithCache(params, sliceAxis(x, 1, t, t + 1), cache, evalCtx));
      pieces.push(logits);
    }
    expect(cache.length).toBe(8);
    expect(cache.layers[0]!.key.shape).toEqual([2, 8, 16]);
    const rows = pieces.map((p) => p.toArray() as number[][][]);
    for (let b = 0; b < 2; b++) {
      const seq = rows.flatMap((r) => r[b]!);
      for (const [t, logitRow] of seq.entries()) {
        for (const [k, v] of logitRow.entries()) expect(v).toBeCloseTo(full[(b * 8 + t) * 32 + k]!, 4);
      }
    }
  });

  test("dropout: keyed in training, off in evaluation; too-long input says what to do", () => {
    const drop = gpt2(gpt2Config("gpt2", { ...tiny, resid_pdrop: 0.5, embd_pdrop: 0.5, attn_pdrop: 0.5 }));
    const x = randomIds(5, [1, 8], 32);
    const train = (seed: number) => drop.apply(params, x, { training: true, key: random.key(seed) }).data();
    expect(train(1)).toEqual(train(1));
    expect(train(1)).not.toEqual(train(2));
    expect(drop.apply(params, x, evalCtx).data()).toEqual(model.apply(params, x, evalCtx).data());
    expect(() => drop.apply(params, x, { training: true })).toThrow(/ctx\.key is missing/);
    expect(() => model.apply(params, randomIds(6, [1, 17], 32), evalCtx)).toThrow(/exceed n_positions 16/);
  });
});

test("a tiny GPT-2 overfits one batch", () => {
  const c = gpt2Config("gpt2", { ...tiny, resid_pdrop: 0, embd_pdrop: 0, attn_pdrop: 0 });
  const m = gpt2(c);
  const x = randomIds(9, [2, 8], 32);
  const { losses, liveBuffers } = adamOverfit(
    m.init(random.key(10)),
    (p) => m.loss(p, { inputIds: x }, evalCtx),
    {
      steps: 60,
      lr: 1e-2,
    },
  );
  console.log(`gpt2 overfit: ${losses[0]!.toFixed(3)} -> ${losses.at(-1)!.toFixed(4)}`);
  expect(losses[0]).toBeGreaterThan(3);
  expect(losses.at(-1)).toBeLessThan(0.05);
  expect(liveBuffers.at(-1)).toBe(liveBuffers[1]); // no buffer leaks per step
});
