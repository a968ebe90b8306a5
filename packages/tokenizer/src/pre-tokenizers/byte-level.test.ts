import fc from "fast-check";
import { byteLevelPreTokenizer as hfByteLevel } from "tokenizers";
import { describe, expect, it } from "vitest";
import { probeTexts } from "../test-utils/corpus.js";
import { trickyText } from "../test-utils/hf.js";
import { toByteLevel } from "../unicode/byte-level-alphabet.js";
import { splitGpt2 } from "./byte-level.js";

const words = (text: string): string[] => {
  const out: string[] = [];
  splitGpt2(text, (s, e) => out.push(text.slice(s, e)));
  return out;
};

const hf = hfByteLevel(false, true);
const hfWords = (text: string): string[] => hf.preTokenizeString(text).map(([piece]) => piece);

describe("GPT-2 pre-tokenization", () => {
  it("splits like the GPT-2 regex", () => {
    expect(words("Hello world's  best\n\n  x")).toEqual([
      "Hello",
      " world",
      "'s",
      " ",
      " best",
      "\n\n ",
      " x",
    ]);
    expect(words("I'm 42 years!! ok")).toEqual(["I", "'m", " 42", " years", "!!", " ok"]);
    expect(words("trailing   ")).toEqual(["trailing", "   "]);
  });

  it("covers the text with adjacent pieces", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        expect(words(text).join("")).toBe(text);
      }),
    );
  });

  it("agrees with HF's ByteLevel pre-tokenizer", () => {
    const check = (text: string) => {
      expect(words(text).map((w) => toByteLevel(w))).toEqual(hfWords(text));
    };
    probeTexts.forEach(check);
    fc.assert(fc.property(fc.oneof(fc.string({ unit: "binary" }), trickyText), check), { numRuns: 1000 });
  });
});
