import { random } from "@scratchgrad/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyTemperature,
  argmax,
  nextToken,
  processLogits,
  sampleFromLogits,
  softmax,
  topKFilter,
  topPFilter,
} from "./sampling.js";

const logitsArb = fc.array(fc.double({ min: -20, max: 20, noNaN: true }), { minLength: 1, maxLength: 40 });
/** Logits on a coarse grid, so ties happen often. */
const tiedLogitsArb = fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 40 });
const kept = (xs: Float64Array): number[] => [...xs.keys()].filter((i) => xs[i] !== Number.NEGATIVE_INFINITY);

describe("topKFilter", () => {
  it("keeps exactly the k highest, unchanged", () => {
    fc.assert(
      fc.property(fc.oneof(logitsArb, tiedLogitsArb), fc.integer({ min: 1, max: 50 }), (logits, k) => {
        const out = topKFilter(k)(logits);
        const keep = kept(out);
        expect(keep.length).toBe(Math.min(k, logits.length));
        for (const i of keep) expect(out[i]).toBe(logits[i]);
        const removed = [...logits.keys()].filter((i) => !keep.includes(i));
        const lowestKept = Math.min(...keep.map((i) => logits[i]!));
        for (const i of removed) expect(logits[i]!).toBeLessThanOrEqual(lowestKept);
      }),
    );
  });
  it("k = 0 keeps everything", () => {
    fc.assert(
      fc.property(logitsArb, (logits) => {
        expect(kept(topKFilter(0)(logits)).length).toBe(logits.length);
      }),
    );
  });
});

describe("topPFilter", () => {
  it("keeps the smallest most-likely prefix with mass ≥ p, and at least one token", () => {
    fc.assert(
      fc.property(
        fc.oneof(logitsArb, tiedLogitsArb),
        fc.double({ min: 1e-6, max: 0.999999, noNaN: true }),
        (logits, p) => {
          const probs = softmax(logits);
          const keep = kept(topPFilter(p)(logits));
          expect(keep.length).toBeGreaterThanOrEqual(1);
          const mass = keep.reduce((s, i) => s + probs[i]!, 0);
          const removed = [...logits.keys()].filter((i) => !keep.includes(i));
          if (removed.length > 0) expect(mass).toBeGreaterThanOrEqual(p - 1e-12);
          // a prefix: nothing removed is more likely than anything kept
          const lowestKept = Math.min(...keep.map((i) => logits[i]!));
          for (const i of removed) expect(logits[i]!).toBeLessThanOrEqual(lowestKept);
          // minimal: without its least likely member the kept set falls short of p
          const withoutLowest = mass - Math.min(...keep.map((i) => probs[i]!));
          if (keep.length > 1) expect(withoutLowest).toBeLessThan(p + 1e-12);
        },
      ),
    );
  });
  it("p = 1 keeps everything", () => {
    fc.assert(
      fc.property(logitsArb, (logits) => {
        expect(kept(topPFilter(1)(logits)).length).toBe(logits.length);
      }),
    );
  });
  it("matches a worked example", () => {
    expect(kept(topPFilter(0.7)([Math.log(0.6), Math.log(0.3), Math.log(0.1)]))).toEqual([0, 1]);
    expect(kept(topPFilter(0.6)([Math.log(0.6), Math.log(0.3), Math.log(0.1)]))).toEqual([0]);
  });
});

describe("temperature and sampling", () => {
  it("temperature → 0 samples the argmax whatever the draw", () => {
    const uniqueMax = fc
      .array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 40 })
      .filter((xs) => xs.filter((x) => x === Math.max(...xs)).length === 1)
      .map((xs) => xs.map((x) => x / 100)); // gaps ≥ 0.01
    fc.assert(
      // u ≥ 1e-9: the other tokens together hold < 40·e^-100 of the mass
      fc.property(
        uniqueMax,
        fc.double({ min: 1e-9, max: 1, maxExcluded: true, noNaN: true }),
        (logits, u) => {
          const cold = processLogits({ temperature: 1e-4, topK: 0, topP: 1 })(logits);
          expect(sampleFromLogits(cold, u)).toBe(argmax(logits));
        },
      ),
    );
  });
  it("temperature scales the logits", () => {
    expect(Array.from(applyTemperature(0.5)([1, -2]))).toEqual([2, -4]);
    expect(() => applyTemperature(0)([1])).toThrow(/temperature/);
  });
  it("sampling never picks a filtered-out token", () => {
    fc.assert(
      fc.property(
        logitsArb,
        fc.integer({ min: 0, max: 5 }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (logits, topK, topP, u) => {
          const processed = processLogits({ temperature: 0.8, topK, topP })(logits);
          expect(processed[sampleFromLogits(processed, u)]).not.toBe(Number.NEGATIVE_INFINITY);
        },
      ),
    );
  });
  it("draws tokens in proportion to their probability (inverse CDF)", () => {
    const logits = [Math.log(0.5), Math.log(0.25), Math.log(0.25)];
    expect(sampleFromLogits(logits, 0.49)).toBe(0);
    expect(sampleFromLogits(logits, 0.51)).toBe(1);
    expect(sampleFromLogits(logits, 0.99)).toBe(2);
  });
  it("the same seed gives the same token; greedy ignores the key", () => {
    const options = { doSample: true, temperature: 1.3, topK: 10, topP: 0.9 };
    fc.assert(
      fc.property(logitsArb, fc.integer({ min: 0, max: 2 ** 31 - 1 }), (logits, seed) => {
        expect(nextToken(logits, options, random.key(seed))).toBe(
          nextToken(logits, options, random.key(seed)),
        );
        expect(nextToken(logits, { ...options, doSample: false }, random.key(seed))).toBe(argmax(logits));
      }),
    );
  });
  it("different seeds explore different tokens of a flat distribution", () => {
    const options = { doSample: true, temperature: 1, topK: 0, topP: 1 };
    const flat = new Array(16).fill(0);
    const seen = new Set(Array.from({ length: 32 }, (_, s) => nextToken(flat, options, random.key(s))));
    expect(seen.size).toBeGreaterThan(4);
  });
});
