import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareCodePoints, trainWordLevel, trainWordLevelVocabulary } from "./word-level.js";

const counts = new Map([
  ["the", 25],
  ["roses", 22],
  ["are", 24],
  ["red", 12],
  ["voilets", 10],
  ["blue", 16],
]);

describe("trainWordLevelVocabulary (HF's WordLevelTrainer)", () => {
  it("keeps the most frequent words, as in HF's own unit test", () => {
    const train = (vocabSize: number, minFrequency: number) =>
      trainWordLevelVocabulary(counts, { vocabSize, minFrequency, specialTokens: [] });
    expect(train(5, 0)).toEqual(["the", "are", "roses", "blue", "red"]);
    expect(train(5, 15)).toEqual(["the", "are", "roses", "blue"]);
    expect(train(Number.POSITIVE_INFINITY, 0)).toHaveLength(6);
  });

  it("puts special tokens first (counted in vocabSize), each once, and never again as a word", () => {
    const vocab = trainWordLevelVocabulary(new Map([...counts, ["<unk>", 30]]), {
      vocabSize: 4,
      minFrequency: 0,
      specialTokens: ["<pad>", "<unk>", "<pad>"],
    });
    expect(vocab).toEqual(["<pad>", "<unk>", "the", "are"]);
  });

  it("breaks ties by code point (Rust's string order), not by UTF-16 units", () => {
    const tied = new Map(["b", "a", "\uffef", "😀", "ab", "é"].map((w) => [w, 1]));
    expect(trainWordLevelVocabulary(tied, { vocabSize: 10, minFrequency: 0, specialTokens: [] })).toEqual([
      "a",
      "ab",
      "b",
      "é",
      "\uffef",
      "😀",
    ]);
  });

  it("compareCodePoints orders as code point arrays do", () => {
    const codePoints = (s: string) => Array.from(s, (c) => c.codePointAt(0)!);
    const reference = (a: string, b: string) => {
      const x = codePoints(a);
      const y = codePoints(b);
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
      return x.length - y.length;
    };
    const text = fc.string({
      unit: fc.constantFrom("a", "z", "é", "\ue000", "\uffff", "😀", "𝔘"),
      maxLength: 4,
    });
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(Math.sign(compareCodePoints(a, b))).toBe(Math.sign(reference(a, b)));
      }),
    );
  });
});

describe("trainWordLevel", () => {
  const tok = trainWordLevel(["the cat sat on the mat", "the  dog\tsat <unk>"]);

  it("splits on whitespace and gives every word one id, unknown words <unk>", () => {
    expect(tok.config.model).toMatchObject({ type: "WordLevel", unk_token: "<unk>" });
    expect(tok.idToToken(0)).toBe("<unk>");
    expect(tok.vocabSize).toBe(7); // <unk> + the sat cat dog mat on
    expect(tok.encode("the cat ran\n").tokens).toEqual(["the", "cat", "<unk>"]);
    expect(tok.encode("the cat", { offsets: true }).offsets).toEqual([
      [0, 3],
      [4, 7],
    ]);
  });

  it("decodes by joining tokens with spaces (HF's behaviour without a decoder)", () => {
    expect(tok.decode(tok.encode(" the\tmat  sat ").ids)).toBe("the mat sat");
    expect(tok.decode(tok.encode("a dog").ids)).toBe("<unk> dog");
    expect(tok.decode(tok.encode("a dog").ids, { skipSpecialTokens: true })).toBe("dog");
  });

  it("honours vocabSize and minFrequency, and refuses a size with no room for words", () => {
    expect(trainWordLevel(["a a a b b c"], { vocabSize: 3 }).config.model.vocab).toEqual({
      "<unk>": 0,
      a: 1,
      b: 2,
    });
    expect(trainWordLevel(["a a a b b c"], { minFrequency: 2 }).vocabSize).toBe(3);
    expect(() => trainWordLevel(["a"], { vocabSize: 1 })).toThrow(/vocabSize 1 leaves no room/);
  });
});
