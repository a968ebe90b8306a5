import { IGNORE_INDEX, maskTokens } from "@scratchgrad/lm-objectives";
import { bert, bertConfig, sinusoidalPositions } from "@scratchgrad/nn";
import { crossEntropy, fromTypedArray, random, reshape } from "@scratchgrad/tensor";
import { expect, test } from "vitest";
import { labelledPositions, maskedLmTask } from "./masked-lm.js";

const config = bertConfig("bert-tiny", {
  vocab_size: 40,
  hidden_size: 16,
  num_attention_heads: 2,
  intermediate_size: 32,
  num_hidden_layers: 1,
  max_position_embeddings: 32,
});

test("labelledPositions lists every labelled token once, padded with ignored rows to a multiple of 64", () => {
  const labels = Int32Array.from({ length: 200 }, (_, i) => (i % 3 === 1 ? i % 40 : IGNORE_INDEX));
  const { positions, labels: l, count } = labelledPositions({ inputIds: new Int32Array(200), labels });
  expect(count).toBe(67);
  expect(positions.shape).toEqual([128]);
  const p = positions.data();
  const y = l.data();
  for (let j = 0; j < 128; j++) {
    if (j < 67) {
      expect(p[j]).toBe(3 * j + 1);
      expect(y[j]).toBe(labels[3 * j + 1]);
    } else {
      expect(y[j]).toBe(IGNORE_INDEX);
    }
  }
});

test("the task's loss (head at labelled positions only) equals HF's loss over all B·T logits", () => {
  const task = maskedLmTask(config, 4);
  const params = task.init(random.key(0));
  const ids = Int32Array.from({ length: 2 * 32 }, (_, i) => 5 + ((i * 7) % 35));
  const special = new Uint8Array(64);
  special[0] = special[32] = 1;
  const key = random.key(3);
  const { loss, count } = task.loss(params, { ids, special, batchSize: 2, blockSize: 32 }, key, false);
  // The same masks, drawn from the same key as the task draws them, scored on the full logits.
  const [maskKey] = random.split(key, 2) as [random.Key, random.Key];
  const masked = maskTokens(maskKey, ids, special, { maskTokenId: 4, vocabSize: 40, mlmProbability: 0.15 });
  const logits = bert(config).apply(
    params,
    { inputIds: fromTypedArray(masked.inputIds, [2, 32], "int32") },
    {
      training: false,
    },
  );
  const reference = crossEntropy(reshape(logits, [64, 40]), fromTypedArray(masked.labels, [64], "int32"), {
    ignoreIndex: IGNORE_INDEX,
  });
  expect(count).toBe(masked.labels.filter((l) => l !== IGNORE_INDEX).length);
  expect(count).toBeGreaterThan(0);
  expect(loss.item()).toBeCloseTo(reference.item(), 5);
});

test("trainMlmProbability masks that share in training steps; scoring keeps mlmProbability", () => {
  const task = maskedLmTask(config, 4, { mlmProbability: 0.15, trainMlmProbability: 0.45 });
  const params = task.init(random.key(0));
  const ids = Int32Array.from({ length: 8 * 32 }, (_, i) => 5 + ((i * 7) % 35));
  const batch = { ids, special: new Uint8Array(ids.length), batchSize: 8, blockSize: 32 };
  const key = random.key(5);
  const labelled = (p: number) => {
    const [maskKey] = random.split(key, 2) as [random.Key, random.Key];
    const masked = maskTokens(maskKey, ids, batch.special, {
      maskTokenId: 4,
      vocabSize: 40,
      mlmProbability: p,
    });
    return masked.labels.filter((l) => l !== IGNORE_INDEX).length;
  };
  expect(task.loss(params, batch, key, true).count).toBe(labelled(0.45));
  expect(task.loss(params, batch, key, false).count).toBe(labelled(0.15));
  expect(labelled(0.45)).toBeGreaterThan(2 * labelled(0.15));
});

test("positionInit sinusoidal starts the position table from sinusoids at initializer_range; the rest is HF's init", () => {
  const hf = maskedLmTask(config, 4).init(random.key(0));
  const sin = maskedLmTask(config, 4, { positionInit: "sinusoidal" }).init(random.key(0));
  const table = sin.bert.embeddings.position_embeddings.weight;
  const [n, dim] = table.shape as [number, number];
  expect(table.data()).toEqual(sinusoidalPositions(n, dim, config.initializer_range).data());
  expect(sin.bert.embeddings.word_embeddings.weight.data()).toEqual(
    hf.bert.embeddings.word_embeddings.weight.data(),
  );
  expect(sin.bert.encoder.layer[0]!.attention.self.query.weight.data()).toEqual(
    hf.bert.encoder.layer[0]!.attention.self.query.weight.data(),
  );
});
