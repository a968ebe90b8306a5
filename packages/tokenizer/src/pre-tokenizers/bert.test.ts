import fc from "fast-check";
import { bertPreTokenizer as hfBert } from "tokenizers";
import { describe, expect, it } from "vitest";
import { probeTexts } from "../test-utils/corpus.js";
import { trickyText } from "../test-utils/hf.js";
import { splitBert } from "./bert.js";
import { splitWhitespace } from "./whitespace-split.js";

const words = (split: typeof splitBert, text: string): string[] => {
  const out: string[] = [];
  split(text, (s, e) => out.push(text.slice(s, e)));
  return out;
};

describe("BERT pre-tokenization", () => {
  it("drops whitespace and isolates each punctuation character", () => {
    expect(words(splitBert, "Hello, world!! (x)")).toEqual(["Hello", ",", "world", "!", "!", "(", "x", ")"]);
    expect(words(splitBert, "don't\u3000stop")).toEqual(["don", "'", "t", "stop"]);
  });

  it("agrees with HF's BertPreTokenizer", () => {
    const hf = hfBert();
    const check = (text: string) => {
      expect(words(splitBert, text)).toEqual(hf.preTokenizeString(text).map(([piece]) => piece));
    };
    probeTexts.forEach(check);
    fc.assert(fc.property(fc.oneof(fc.string({ unit: "binary" }), trickyText), check), { numRuns: 1000 });
  });

  it("WhitespaceSplit only splits on whitespace", () => {
    expect(words(splitWhitespace, " a,b \t c\n")).toEqual(["a,b", "c"]);
  });
});
