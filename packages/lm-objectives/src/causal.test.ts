import { crossEntropy, random, reshape, scope, sliceAxis, tensor } from "@scratchgrad/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { causalLmLoss, shiftLabels } from "./causal.js";
import { perplexity, wordPerplexity } from "./perplexity.js";

describe("causal LM loss", () => {
  it("shifts labels left and ignores the last position", () => {
    expect(shiftLabels(tensor(new Int32Array([5, 6, 7, 8, 9, 10]), [2, 3])).toArray()).toEqual([
      [6, 7, -100],
      [9, 10, -100],
    ]);
  });

  it("equals cross-entropy of logits[:, :-1] against labels[:, 1:] (HF's shift), with ignored labels", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 2, max: 9 }),
        fc.nat(),
        (b, t, v, seed) =>
          scope(() => {
            const logits = random.normal(random.key(seed), [b, t, v]);
            const raw = Int32Array.from(
              random.randint(random.key(seed + 1), [b * t], 0, v).data() as Int32Array,
              (x, i) => (i % 5 === 4 ? -100 : x),
            );
            const labels = tensor(raw, [b, t]);
            const ours = causalLmLoss(logits, labels).item();
            const hf = crossEntropy(
              reshape(sliceAxis(logits, 1, 0, t - 1), [-1, v]),
              reshape(sliceAxis(labels, 1, 1, t), [-1]),
            ).item();
            expect(ours).toBeCloseTo(hf, 5);
          }),
      ),
      { numRuns: 30 },
    );
  });

  it("perplexities", () => {
    expect(perplexity(Math.log(429.59))).toBeCloseTo(429.59, 6);
    expect(wordPerplexity(2 * Math.log(10), 2)).toBeCloseTo(10, 10);
    expect(() => wordPerplexity(1, 0)).toThrow(RangeError);
  });
});
