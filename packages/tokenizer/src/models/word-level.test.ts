import { describe, expect, it } from "vitest";
import type { WordLevelModelConfig } from "../config.js";
import { wordLevelModel } from "./word-level.js";

const config = (vocab: Record<string, number>): WordLevelModelConfig => ({
  type: "WordLevel",
  vocab,
  unk_token: "<unk>",
});

describe("WordLevel model", () => {
  it("makes each word one token, unknown words the unknown token", () => {
    const wl = wordLevelModel(config({ "<unk>": 0, the: 1, cat: 2, "😀": 3 }));
    expect(wl.tokenize("cat")).toEqual({ ids: [2], offsets: [0, 3] });
    expect(wl.tokenize("😀")).toEqual({ ids: [3], offsets: [0, 2] });
    expect(wl.tokenize("cats")).toEqual({ ids: [0], offsets: [0, 4] });
    expect(wl.tokenize("").ids).toEqual([]);
    expect([wl.tokenToId("the"), wl.idToToken(2), wl.vocabSize]).toEqual([1, "cat", 4]);
  });

  it("needs the unknown token only for unknown words, and says so (as HF)", () => {
    const closed = wordLevelModel(config({ the: 0, cat: 1 }));
    expect(closed.tokenize("the").ids).toEqual([0]);
    expect(() => closed.tokenize("dog")).toThrow(
      /the word "dog" is not in the vocabulary, and neither is the unknown token "<unk>"/,
    );
  });

  it("counts ids, not entries, for the vocabulary size (holes allowed, as in HF files)", () => {
    expect(wordLevelModel(config({ "<unk>": 0, b: 2 })).vocabSize).toBe(3);
  });
});
