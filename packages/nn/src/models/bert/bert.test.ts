import {
  crossEntropy,
  fromTypedArray,
  random,
  randomArrays,
  reshape,
  type Tensor,
  valueAndGrad,
  zeros,
} from "@scratchgrad/tensor";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { adamOverfit } from "../../test-utils/train.js";
import { bertConfig, validateBertConfig } from "./config.js";
import { bert } from "./model.js";

const ids = (values: ArrayLike<number>, shape: number[]): Tensor =>
  fromTypedArray(Int32Array.from(values), shape, "int32");
const randomIds = (seed: number, shape: number[], vocab: number): Tensor =>
  fromTypedArray(randomArrays.randint(random.key(seed), shape[0]! * shape[1]!, 0, vocab), shape, "int32");

/** BertForMaskedLM's state-dict names and shapes as save_pretrained writes them (tied decoder omitted). */
const hfBertShapes = (
  v: number,
  p: number,
  types: number,
  c: number,
  inner: number,
  layers: number,
): [string, number[]][] => [
  ["bert.embeddings.word_embeddings.weight", [v, c]],
  ["bert.embeddings.position_embeddings.weight", [p, c]],
  ["bert.embeddings.token_type_embeddings.weight", [types, c]],
  ["bert.embeddings.LayerNorm.weight", [c]],
  ["bert.embeddings.LayerNorm.bias", [c]],
  ...Array.from({ length: layers }, (_, i): [string, number[]][] => {
    const l = `bert.encoder.layer.${i}`;
    return [
      [`${l}.attention.self.query.weight`, [c, c]],
      [`${l}.attention.self.query.bias`, [c]],
      [`${l}.attention.self.key.weight`, [c, c]],
      [`${l}.attention.self.key.bias`, [c]],
      [`${l}.attention.self.value.weight`, [c, c]],
      [`${l}.attention.self.value.bias`, [c]],
      [`${l}.attention.output.dense.weight`, [c, c]],
      [`${l}.attention.output.dense.bias`, [c]],
      [`${l}.attention.output.LayerNorm.weight`, [c]],
      [`${l}.attention.output.LayerNorm.bias`, [c]],
      [`${l}.intermediate.dense.weight`, [inner, c]],
      [`${l}.intermediate.dense.bias`, [inner]],
      [`${l}.output.dense.weight`, [c, inner]],
      [`${l}.output.dense.bias`, [c]],
      [`${l}.output.LayerNorm.weight`, [c]],
      [`${l}.output.LayerNorm.bias`, [c]],
    ];
  }).flat(),
  ["cls.predictions.bias", [v]],
  ["cls.predictions.transform.dense.weight", [c, c]],
  ["cls.predictions.transform.dense.bias", [c]],
  ["cls.predictions.transform.LayerNorm.weight", [c]],
  ["cls.predictions.transform.LayerNorm.bias", [c]],
];

const sorted = (entries: Iterable<[string, readonly number[]]>) =>
  [...entries].sort(([a], [b]) => (a < b ? -1 : 1));

describe("bert-base-cased preset", () => {
  test("has BertForMaskedLM's parameter count (108,340,804: no pooler, decoder tied)", () => {
    expect(bert(bertConfig("bert-base-cased")).countParams()).toBe(108_340_804);
  });

  test("parameter names and shapes equal BertForMaskedLM's saved state dict", () => {
    const shapes = bert(bertConfig("bert-base-cased")).paramShapes();
    expect(sorted(shapes)).toEqual(sorted(hfBertShapes(28996, 512, 2, 768, 3072, 12)));
  });

  test("small presets and validation", () => {
    const c = bertConfig("bert-tiny", { vocab_size: 8000, max_position_embeddings: 128 });
    expect([c.num_hidden_layers, c.hidden_size, c.num_attention_heads, c.vocab_size]).toEqual([
      2, 128, 4, 8000,
    ]);
    expect(bertConfig("bert-small-cpu").hidden_size).toBe(256);
    expect(() => bertConfig("bert-tiny", { pad_token_id: 9000, vocab_size: 100 })).toThrow(
      /pad_token_id 9000/,
    );
    expect(validateBertConfig({ ...c, num_attention_heads: 3 })._tag).toBe("Left");
  });
});

const tiny = bertConfig("bert-tiny", {
  vocab_size: 32,
  hidden_size: 16,
  num_attention_heads: 2,
  intermediate_size: 32,
  num_hidden_layers: 2,
  max_position_embeddings: 16,
});
const model = bert(tiny);
const params = model.init(random.key(0));
const evalCtx = { training: false };

describe("bert init (HF _init_weights)", () => {
  test("pad_token_id's word embedding row is zero; biases zero; LayerNorm ones", () => {
    const words = params.bert.embeddings.word_embeddings.weight.toArray() as number[][];
    expect(words[tiny.pad_token_id]).toEqual(new Array(16).fill(0));
    expect(words[1]!.some((v) => v !== 0)).toBe(true);
    expect(new Set(params.cls.predictions.bias.data())).toEqual(new Set([0]));
    expect(new Set(params.bert.encoder.layer[0]!.output.LayerNorm.weight.data())).toEqual(new Set([1]));
    const d = bert(bertConfig("bert-tiny", { vocab_size: 64 }))
      .init(random.key(1))
      .bert.encoder.layer[0]!.intermediate.dense.weight.data() as Float32Array;
    const std = Math.sqrt(d.reduce((a, b) => a + b * b, 0) / d.length);
    expect(std).toBeCloseTo(0.02, 3);
  });
});

describe("bert forward", () => {
  test("logits [B, T, V]; default token types are zeros", () => {
    const x = randomIds(3, [2, 8], 32);
    const logits = model.apply(params, { inputIds: x }, evalCtx);
    expect(logits.shape).toEqual([2, 8, 32]);
    const explicit = model.apply(params, { inputIds: x, tokenTypeIds: zeros([2, 8], "int32") }, evalCtx);
    expect(explicit.data()).toEqual(logits.data());
    const segments = ids([0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1], [2, 8]);
    expect(model.apply(params, { inputIds: x, tokenTypeIds: segments }, evalCtx).data()).not.toEqual(
      logits.data(),
    );
  });

  test("padding invariance: tokens under attention mask 0 never change the other positions' logits", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 31 }), { minLength: 16, maxLength: 16 }),
        fc.array(fc.integer({ min: 0, max: 31 }), { minLength: 16, maxLength: 16 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 8 }),
        (a, b, len0, len1) => {
          const lens = [len0, len1];
          const mask = ids(
            Array.from({ length: 16 }, (_, i) => (i % 8 < lens[Math.floor(i / 8)]! ? 1 : 0)),
            [2, 8],
          );
          const padded = a.map((v, i) => (i % 8 < lens[Math.floor(i / 8)]! ? v : b[i]!));
          const before = model
            .apply(params, { inputIds: ids(a, [2, 8]), attentionMask: mask }, evalCtx)
            .toArray() as number[][][];
          const after = model
            .apply(params, { inputIds: ids(padded, [2, 8]), attentionMask: mask }, evalCtx)
            .toArray() as number[][][];
          for (let row = 0; row < 2; row++) {
            for (let t = 0; t < lens[row]!; t++) {
              for (const [k, v] of before[row]![t]!.entries()) expect(after[row]![t]![k]).toBeCloseTo(v, 5);
            }
          }
        },
      ),
      { numRuns: 6 },
    );
  });

  test("without padding, an all-ones attention mask changes nothing", () => {
    const x = randomIds(4, [2, 8], 32);
    const plain = model.apply(params, { inputIds: x }, evalCtx).data();
    const masked = model
      .apply(params, { inputIds: x, attentionMask: ids(new Array(16).fill(1), [2, 8]) }, evalCtx)
      .data();
    for (const [i, v] of masked.entries()) expect(v).toBeCloseTo(plain[i]!, 6);
  });

  test("logitsAt equals the full logits at the given positions, and so does the masked-LM loss and its gradient", () => {
    const x = randomIds(7, [2, 8], 32);
    const positions = ids([3, 0, 15, 8, 3], [5]);
    const full = model.apply(params, { inputIds: x }, evalCtx).toArray() as number[][][];
    const at = model.logitsAt(params, { inputIds: x }, positions, evalCtx).toArray() as number[][];
    expect(at.length).toBe(5);
    for (const [i, p] of [3, 0, 15, 8, 3].entries()) {
      for (const [k, v] of full[Math.floor(p / 8)]![p % 8]!.entries()) expect(at[i]![k]).toBeCloseTo(v, 5);
    }
    // Labels only at positions 3, 8 and 15: the loss over all B·T logits equals the loss at those rows.
    const labels = Array.from({ length: 16 }, (_, i) => ([3, 8, 15].includes(i) ? (i * 5) % 32 : -100));
    const lossFull = (p: typeof params) =>
      crossEntropy(reshape(model.apply(p, { inputIds: x }, evalCtx), [16, 32]), ids(labels, [16]), {
        ignoreIndex: -100,
      });
    const lossAt = (p: typeof params) =>
      crossEntropy(
        model.logitsAt(p, { inputIds: x }, ids([3, 8, 15, 0], [4]), evalCtx),
        ids([15, 8, 11, -100], [4]),
        {
          ignoreIndex: -100,
        },
      );
    const [vFull, gFull] = valueAndGrad(lossFull)(params);
    const [vAt, gAt] = valueAndGrad(lossAt)(params);
    expect(vAt.item()).toBeCloseTo(vFull.item(), 5);
    const a = gAt.bert.embeddings.word_embeddings.weight.data();
    for (const [i, v] of gFull.bert.embeddings.word_embeddings.weight.data().entries())
      expect(a[i]).toBeCloseTo(v, 5);
    const b = gAt.bert.encoder.layer[0]!.attention.self.query.weight.data();
    for (const [i, v] of gFull.bert.encoder.layer[0]!.attention.self.query.weight.data().entries())
      expect(b[i]).toBeCloseTo(v, 5);
  });

  test("dropout is keyed in training and off in evaluation", () => {
    const x = randomIds(5, [1, 8], 32);
    const train = (seed: number) =>
      model.apply(params, { inputIds: x }, { training: true, key: random.key(seed) }).data();
    expect(train(1)).toEqual(train(1));
    expect(train(1)).not.toEqual(train(2));
    expect(() => model.apply(params, { inputIds: randomIds(6, [1, 17], 32) }, evalCtx)).toThrow(
      /max_position_embeddings 16/,
    );
  });
});

test("a tiny BERT overfits one masked-LM batch", () => {
  const c = { ...tiny, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0 };
  const m = bert(c);
  const x = randomIds(9, [2, 8], 32).data();
  const MASK = 31;
  // Every third token is masked and must be predicted; the rest are ignored (-100), as in MLM.
  const masked = Array.from(x, (v, i) => (i % 3 === 0 ? MASK : v));
  const labels = Array.from(x, (v, i) => (i % 3 === 0 ? v : -100));
  const inputs = { inputIds: ids(masked, [2, 8]) };
  const y = ids(labels, [2, 8]);
  const { losses, liveBuffers } = adamOverfit(
    m.init(random.key(10)),
    (p) => crossEntropy(m.apply(p, inputs, evalCtx), y, { ignoreIndex: -100 }),
    { steps: 60, lr: 1e-2 },
  );
  console.log(`bert overfit: ${losses[0]!.toFixed(3)} -> ${losses.at(-1)!.toFixed(4)}`);
  expect(losses[0]).toBeGreaterThan(3);
  expect(losses.at(-1)).toBeLessThan(0.05);
  expect(liveBuffers.at(-1)).toBe(liveBuffers[1]); // no buffer leaks per step
});
