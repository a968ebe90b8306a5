import { describe, expect, it } from "vitest";
import { trainBpe } from "./bpe-trainer.js";

const counts = (entries: [string, number][]) => new Map(entries);

describe("BPE trainer", () => {
  it("learns HF's result on HF's own trainer test", () => {
    // tokenizers/src/models/bpe/trainer.rs, test_train: min_frequency 2 gives exactly 're', 'are', 'is'.
    const words = counts([
      ["roses", 1],
      ["are", 2],
      ["red", 1],
      ["voilets", 1],
      ["blue", 1],
      ["BERT", 1],
      ["is", 2],
      ["big", 1],
      ["and", 1],
      ["so", 1],
      ["GPT-2", 1],
    ]);
    const { vocab, merges } = trainBpe(words, { vocabSize: 30000, minFrequency: 2, specialTokens: [] });
    expect(vocab).toEqual([..."-2BEGPRTabdegilnorstuv".split(""), "re", "are", "is"]);
    expect(merges).toEqual([
      ["r", "e"],
      ["a", "re"],
      ["i", "s"],
    ]);
  });

  it("puts special tokens first, then the alphabet by code point, and stops at vocabSize", () => {
    const { vocab, merges } = trainBpe(
      counts([
        ["hug", 10],
        ["pug", 5],
        ["hugs", 5],
      ]),
      {
        vocabSize: 9,
        minFrequency: 1,
        specialTokens: ["<pad>"],
      },
    );
    expect(vocab).toEqual(["<pad>", "g", "h", "p", "s", "u", "ug", "hug", "pug"]);
    expect(merges).toEqual([
      ["u", "g"],
      ["h", "ug"],
      ["p", "ug"],
    ]);
  });

  it("with a continuing prefix, writes non-initial characters as ##c (WordPiece training)", () => {
    const { vocab, merges } = trainBpe(
      counts([
        ["hug", 10],
        ["pug", 5],
      ]),
      {
        vocabSize: 100,
        minFrequency: 1,
        specialTokens: [],
        continuingSubwordPrefix: "##",
      },
    );
    expect(vocab.slice(0, 5)).toEqual(["g", "h", "p", "u", "##u"]);
    expect(vocab).toContain("##ug");
    expect(vocab).toContain("hug");
    expect(merges[0]).toEqual(["##u", "##g"]);
  });

  it("keeps the initial alphabet and limits the alphabet to the most frequent characters", () => {
    const { vocab } = trainBpe(
      counts([
        ["aab", 3],
        ["c", 1],
      ]),
      {
        vocabSize: 3,
        minFrequency: 1,
        specialTokens: [],
        limitAlphabet: 2,
        initialAlphabet: ["z"],
      },
    );
    // counts a: 6, b: 3, c: 1, z: forced; b and c are dropped, so "aab" trains as "aa"
    expect(vocab).toEqual(["a", "z", "aa"]);
  });
});
