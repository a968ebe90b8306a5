import { IGNORE_INDEX, maskTokens } from "@scratchgrad/lm-objectives";
import { bert, bertConfig } from "@scratchgrad/nn";
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
