import { describe, expect, it } from "vitest";
import type { WordPieceModelConfig } from "../config.js";
import { wordPieceModel } from "./wordpiece.js";

const wp = wordPieceModel({
  type: "WordPiece",
  unk_token: "[UNK]",
  continuing_subword_prefix: "##",
  max_input_chars_per_word: 8,
  vocab: {
    "[UNK]": 0,
    play: 1,
    "##ing": 2,
    "##s": 3,
    p: 4,
    "##l": 5,
    "##a": 6,
    "##y": 7,
    "😀": 8,
    "##😀": 9,
  },
} satisfies WordPieceModelConfig);

describe("WordPiece model", () => {
  it("takes the longest known prefix, then ## pieces", () => {
    expect(wp.tokenize("playing")).toEqual({ ids: [1, 2], offsets: [0, 4, 4, 7] });
    expect(wp.tokenize("plays").ids).toEqual([1, 3]);
    expect(wp.tokenize("pla").ids).toEqual([4, 5, 6]);
  });

  it("makes the whole word unknown when any part is, or when it is too long", () => {
    expect(wp.tokenize("player")).toEqual({ ids: [0], offsets: [0, 6] });
    expect(wp.tokenize("playingss").ids).toEqual([0]); // 9 characters > 8
    expect(wp.tokenize("😀😀😀😀😀😀😀😀").ids).toEqual([8, 9, 9, 9, 9, 9, 9, 9]); // 8 characters, 16 units
  });
});
