import fc from "fast-check";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { parseTokenizerJson } from "../io/parse.js";
import { trainWikitextWordLevel } from "./wikitext-word-level.js";

/** Invented WikiText-shaped rows: a blank row, a heading, paragraphs with <unk> and @-@, newline kept. */
const ROWS = [
  "",
  " = The Harbour Lamps = \n",
  "",
  " The lamps were lit in 1901 by a <unk> crew , and the harbour was never dark again . \n",
  " Each lamp @-@ post was built of cast iron ; the crew painted them green . \n",
  "",
  " = = Later years = = \n",
  " The lamps were replaced in 1960 . \n",
];

/** Python's `str.split()` on these texts (no characters where Python and Unicode whitespace differ). */
const split = (text: string) => text.split(/[\t\n\v\f\r \u0085\u00a0\u3000]+/).filter((w) => w !== "");

const tok = trainWikitextWordLevel(ROWS);
const vocab = tok.config.model.vocab;

describe("trainWikitextWordLevel", () => {
  it("has every word of the texts, <eos> as id 0 and <unk> as an ordinary word", () => {
    const words = new Set(ROWS.flatMap(split));
    expect(Object.keys(vocab).sort()).toEqual(["<eos>", ...words].sort());
    expect(tok.vocabSize).toBe(words.size + 1);
    expect([tok.eosTokenId, tok.idToToken(0), tok.bosTokenId]).toEqual([0, "<eos>", undefined]);
    // by frequency: "=" (6 times), then "." and "The" (3 times each; "." first by code point)
    expect([vocab["="], vocab["."], vocab.The]).toEqual([1, 2, 3]);
    expect(tok.config.added_tokens.map((t) => t.content)).toEqual(["<eos>"]);
    expect(tok.unkTokenId).toBe(vocab["<unk>"]);
  });

  it("ends every row with <eos>, an empty or blank row too, and counts words + rows", () => {
    expect(tok.encode("").tokens).toEqual(["<eos>"]);
    expect(tok.encode(" \n").ids).toEqual([0]);
    expect(tok.encode(" = = Later years = = \n").tokens).toEqual([
      "=",
      "=",
      "Later",
      "years",
      "=",
      "=",
      "<eos>",
    ]);
    expect(tok.encode(" the lamps \n", { addSpecialTokens: false }).tokens).toEqual(["the", "lamps"]);
    const total = tok.encodeBatch(ROWS).reduce((s, e) => s + e.ids.length, 0);
    expect(total).toBe(ROWS.reduce((s, r) => s + split(r).length + 1, 0));
    expect(tok.encode(" the lamps \n").specialTokensMask).toEqual([0, 0, 1]);
  });

  it("encodes any text as its whitespace words looked up (unknown: <unk>), then <eos>", () => {
    const word = fc.oneof(
      fc.constantFrom(...Object.keys(vocab).filter((w) => w !== "<eos>")),
      fc.string({
        unit: fc.constantFrom("x", "y", "é", "中", "😀", "<", ">", "@"),
        minLength: 1,
        maxLength: 5,
      }),
    );
    const space = fc.string({
      unit: fc.constantFrom(" ", "\t", "\n", "\u00a0", "\u3000"),
      minLength: 1,
      maxLength: 3,
    });
    const text = fc
      .tuple(fc.array(fc.tuple(word, space), { maxLength: 12 }), fc.boolean())
      .map(([pieces, lead]) => (lead ? " " : "") + pieces.map(([w, s]) => w + s).join(""));
    fc.assert(
      fc.property(text, (text) => {
        const expected = [...split(text).map((w) => vocab[w] ?? vocab["<unk>"]!), 0];
        expect(tok.encode(text).ids).toEqual(expected);
        // decoding gives the words joined by single spaces (unknown ones as <unk>)
        const words = split(text).map((w) => (w in vocab ? w : "<unk>"));
        expect(tok.decode(tok.encode(text).ids, { skipSpecialTokens: true })).toBe(words.join(" "));
        expect(tok.decode(tok.encode(text).ids)).toBe([...words, "<eos>"].join(" "));
      }),
    );
  });

  it("reads back what it writes", () => {
    const again = parseTokenizerJson(tok.toJson());
    expect(E.isRight(again) && again.right.config).toEqual(tok.config);
    expect(E.isRight(again) && again.right.encode(ROWS[3]!).ids).toEqual(tok.encode(ROWS[3]!).ids);
  });

  it("gives <unk> id 1 when the texts lack it (raw WikiText) or a vocabSize cap would drop it", () => {
    const raw = trainWikitextWordLevel([" the lamp , the post \n", ""]);
    expect(raw.config.model.vocab).toEqual({ "<eos>": 0, "<unk>": 1, the: 2, ",": 3, lamp: 4, post: 5 });
    expect(raw.encode("a lamp").tokens).toEqual(["<unk>", "lamp", "<eos>"]);
    const capped = trainWikitextWordLevel(ROWS, { vocabSize: 4 });
    expect(Object.keys(capped.config.model.vocab)).toEqual(["<eos>", "<unk>", "=", "."]);
    expect(() => trainWikitextWordLevel(ROWS, { vocabSize: 2.5 })).toThrow(/vocabSize 2.5/);
  });
});
