import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  badWords,
  logitsProcessors,
  minNewTokens,
  noRepeatNgram,
  type ProcessorContext,
  repetitionPenalty,
} from "./logits-processors.js";
import { argmax } from "./sampling.js";

const NEG = Number.NEGATIVE_INFINITY;
const at = (ids: number[], promptLength = ids.length): ProcessorContext => ({ ids, promptLength });
const V = 8;
const logitsArb = fc.array(fc.double({ min: -20, max: 20, noNaN: true }), { minLength: V, maxLength: V });
const idsArb = fc.array(fc.integer({ min: 0, max: V - 1 }), { minLength: 0, maxLength: 30 });

/** Greedy decoding of `steps` tokens after `prompt` with `processor`, fresh random logits each step. */
const decode = (
  processor: (l: ArrayLike<number>, c: ProcessorContext) => Float64Array,
  prompt: number[],
  logitsPerStep: number[][],
): number[] => {
  const ids = [...prompt];
  for (const logits of logitsPerStep) {
    const processed = processor(logits, at(ids, prompt.length));
    if (processed.every((x) => x === NEG)) break;
    ids.push(argmax(processed));
  }
  return ids;
};

describe("repetitionPenalty (HF's RepetitionPenaltyLogitsProcessor)", () => {
  it("divides positive logits and multiplies negative ones of tokens in the sequence, once each", () => {
    // token 0 occurs twice (penalized once), token 1 once, token 2 never
    expect(Array.from(repetitionPenalty(2)([4, -1, 3], at([0, 1, 0])))).toEqual([2, -2, 3]);
    expect(Array.from(repetitionPenalty(1.5)([0, 3, -3], at([0, 1, 2])))).toEqual([0, 2, -4.5]);
  });

  it("penalty > 1 never raises a seen token's logit and leaves unseen ones; penalty 1 is the identity", () => {
    fc.assert(
      fc.property(logitsArb, idsArb, fc.double({ min: 1, max: 10, noNaN: true }), (logits, ids, p) => {
        const out = repetitionPenalty(p)(logits, at(ids));
        const seen = new Set(ids);
        logits.forEach((x, i) => {
          if (seen.has(i)) expect(out[i]!).toBeLessThanOrEqual(x);
          else expect(out[i]).toBe(x);
        });
        expect(Array.from(repetitionPenalty(1)(logits, at(ids)))).toEqual(logits);
      }),
    );
  });
});

describe("noRepeatNgram (HF's NoRepeatNGramLogitsProcessor)", () => {
  it("bans what followed the last n − 1 tokens before", () => {
    expect(Array.from(noRepeatNgram(2)([0, 0, 0], at([1, 2, 1])))).toEqual([0, 0, NEG]);
    // 5 6 was followed by 7 and by 4: both banned after "… 5 6"
    expect(Array.from(noRepeatNgram(3)(new Array(8).fill(0), at([5, 6, 7, 5, 6, 4, 5, 6])))).toEqual([
      0,
      0,
      0,
      0,
      NEG,
      0,
      0,
      NEG,
    ]);
    // n = 1 bans every token present; too short a sequence bans nothing
    expect(Array.from(noRepeatNgram(1)([0, 0, 0], at([2])))).toEqual([0, 0, NEG]);
    expect(Array.from(noRepeatNgram(3)([0, 0, 0], at([1])))).toEqual([0, 0, 0]);
  });

  it("greedy decoding never completes an n-gram that already occurred", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        idsArb,
        fc.array(logitsArb, { minLength: 1, maxLength: 20 }),
        (n, prompt, steps) => {
          const ids = decode(noRepeatNgram(n), prompt, steps);
          for (let t = Math.max(prompt.length, n - 1); t < ids.length; t++) {
            const gram = ids.slice(t - n + 1, t + 1).join(",");
            for (let i = 0; i + n <= t; i++) expect(ids.slice(i, i + n).join(",")).not.toBe(gram);
          }
        },
      ),
    );
  });
});

describe("badWords (HF's NoBadWordsLogitsProcessor)", () => {
  it("bans one-token words always and a longer word's last token after its prefix", () => {
    expect(Array.from(badWords([[3], [1, 2]])([0, 0, 0, 0], at([5, 1])))).toEqual([0, 0, NEG, NEG]);
    expect(Array.from(badWords([[3], [1, 2]])([0, 0, 0, 0], at([1, 5])))).toEqual([0, 0, 0, NEG]);
    // a bad word equal to [eos] is dropped, as HF does
    expect(Array.from(badWords([[0]], 0)([1, 2], at([1])))).toEqual([1, 2]);
    expect(() => badWords([[9]])([0, 0], at([]))).toThrow(/not a token id/);
  });

  it("greedy decoding never produces a bad word after the prompt", () => {
    const wordArb = fc.array(fc.integer({ min: 0, max: V - 1 }), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(
        fc.array(wordArb, { minLength: 1, maxLength: 4 }),
        idsArb,
        fc.array(logitsArb, { minLength: 1, maxLength: 20 }),
        (words, prompt, steps) => {
          const ids = decode(badWords(words), prompt, steps);
          for (const w of words)
            for (let end = prompt.length; end < ids.length; end++)
              if (end + 1 >= w.length)
                expect(ids.slice(end + 1 - w.length, end + 1).join(",")).not.toBe(w.join(","));
        },
      ),
    );
  });
});

describe("minNewTokens (HF's MinNewTokensLengthLogitsProcessor)", () => {
  it("bans eos until enough tokens follow the prompt", () => {
    expect(Array.from(minNewTokens(2, 0)([1, 1], at([7, 5], 1)))).toEqual([NEG, 1]);
    expect(Array.from(minNewTokens(2, 0)([1, 1], at([7, 5, 6], 1)))).toEqual([1, 1]);
    expect(Array.from(minNewTokens(2, undefined)([1, 1], at([7], 1)))).toEqual([1, 1]);
  });
});

describe("logitsProcessors", () => {
  it("applies the processors in HF's order and is the identity with none on", () => {
    fc.assert(
      fc.property(logitsArb, idsArb, (logits, ids) => {
        const context = at(ids, Math.floor(ids.length / 2));
        const options = {
          repetitionPenalty: 1.3,
          noRepeatNgramSize: 2,
          badWordsIds: [[1], [2, 3]],
          minNewTokens: 4,
          eosTokenId: 0,
        };
        const expected = minNewTokens(4, 0)(
          badWords([[1], [2, 3]], 0)(
            noRepeatNgram(2)(repetitionPenalty(1.3)(logits, context), context),
            context,
          ),
          context,
        );
        expect(Array.from(logitsProcessors(options)(logits, context))).toEqual(Array.from(expected));
        expect(Array.from(logitsProcessors({})(logits, context))).toEqual(logits);
      }),
    );
  });
});
