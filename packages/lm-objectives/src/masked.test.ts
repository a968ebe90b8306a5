import { random } from "@scratchgrad/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IGNORE_INDEX } from "./causal.js";
import { maskTokens } from "./masked.js";

const VOCAB = 1000;
const MASK = 4;

/** A batch of ids in [5, VOCAB) with special tokens (ids 0..4 reserved) at random positions. */
const batchArb = fc
  .integer({ min: 200, max: 2000 })
  .chain((n) =>
    fc.tuple(
      fc.constant(n),
      fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    ),
  );

const makeIds = (n: number, seed: number) =>
  Int32Array.from({ length: n }, (_, i) => 5 + ((i * 7919 + seed) % (VOCAB - 5)));

describe("dynamic masking", () => {
  it("never selects special tokens; labels are -100 off the selection and the original id on it", () => {
    fc.assert(
      fc.property(batchArb, ([n, seed, special]) => {
        const ids = makeIds(n, seed);
        const mask = Uint8Array.from(special, (s) => (s ? 1 : 0));
        const { inputIds, labels } = maskTokens(random.key(seed), ids, mask, {
          maskTokenId: MASK,
          vocabSize: VOCAB,
        });
        for (let i = 0; i < n; i++) {
          if (mask[i]) {
            expect(labels[i]).toBe(IGNORE_INDEX);
            expect(inputIds[i]).toBe(ids[i]);
          } else if (labels[i] === IGNORE_INDEX) {
            expect(inputIds[i]).toBe(ids[i]);
          } else {
            expect(labels[i]).toBe(ids[i]);
          }
        }
      }),
      { numRuns: 50 },
    );
  });

  it("selects 15% of eligible positions; of those 80% [MASK], 10% random, 10% unchanged", () => {
    const n = 200_000;
    const ids = makeIds(n, 1);
    const special = Uint8Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 1 : 0));
    const { inputIds, labels } = maskTokens(random.key(7), ids, special, {
      maskTokenId: MASK,
      vocabSize: VOCAB,
    });
    let eligible = 0;
    let selected = 0;
    let masked = 0;
    let unchanged = 0;
    for (let i = 0; i < n; i++) {
      if (special[i]) continue;
      eligible++;
      if (labels[i] === IGNORE_INDEX) continue;
      selected++;
      if (inputIds[i] === MASK) masked++;
      else if (inputIds[i] === ids[i]) unchanged++;
    }
    const randomised = selected - masked - unchanged;
    // binomial standard errors are ~0.1% here; 4σ bounds
    expect(Math.abs(selected / eligible - 0.15)).toBeLessThan(0.004);
    expect(Math.abs(masked / selected - 0.8)).toBeLessThan(0.01);
    // a random replacement may draw the original id (1/VOCAB), counted as unchanged
    expect(Math.abs(randomised / selected - 0.1)).toBeLessThan(0.008);
    expect(Math.abs(unchanged / selected - 0.1)).toBeLessThan(0.008);
  });

  it("is reproducible from its key and differs between keys (new masks every epoch)", () => {
    const ids = makeIds(5000, 3);
    const opts = { maskTokenId: MASK, vocabSize: VOCAB };
    const a = maskTokens(random.key(1), ids, null, opts);
    const b = maskTokens(random.key(1), ids, null, opts);
    const c = maskTokens(random.foldIn(random.key(1), 1), ids, null, opts);
    expect(Buffer.from(a.inputIds.buffer).equals(Buffer.from(b.inputIds.buffer))).toBe(true);
    expect(Buffer.from(a.labels.buffer).equals(Buffer.from(c.labels.buffer))).toBe(false);
  });
});
