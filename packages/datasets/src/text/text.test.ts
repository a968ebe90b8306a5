import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { universalNewlines, wikitextRows } from "./lines.js";
import { isBlank, splitWords } from "./pythonWhitespace.js";
import { countWords, countWordsOfRows } from "./wordCount.js";

// Lines built from pieces that matter: Python-only whitespace, U+FEFF (not whitespace in Python), CR.
const piece = fc.constantFrom(
  "a",
  "bc",
  " ",
  "\t",
  "\u00a0",
  "\ufeff",
  "\x1c",
  "\x85",
  "\u3000",
  "\r",
  "=",
  "é",
  "<unk>",
);
const line = fc.array(piece, { maxLength: 8 }).map((p) => p.join(""));
const fileArb = fc.array(line, { maxLength: 20 }).map((ls) => ls.map((l) => `${l}\n`).join(""));

describe("Python whitespace", () => {
  it("follows str.isspace, not JavaScript's \\s", () => {
    expect(isBlank(" \t\n\x1c\x85\u3000")).toBe(true);
    expect(isBlank("\ufeff")).toBe(false);
    expect(splitWords("a\ufeff b\x1fc")).toEqual(["a\ufeff", "b", "c"]);
    expect(splitWords("  ")).toEqual([]);
  });
});

describe("wikitextRows (HF row semantics)", () => {
  it("keeps each line's trailing newline and blanks whitespace-only lines", () => {
    expect(wikitextRows(" \n = Harbour = \n \n Text here . \n")).toEqual([
      "",
      " = Harbour = \n",
      "",
      " Text here . \n",
    ]);
  });

  it("yields a last line without a newline, and nothing for an empty file", () => {
    expect(wikitextRows("a\nb")).toEqual(["a\n", "b"]);
    expect(wikitextRows("")).toEqual([]);
  });

  it("translates \\r\\n and \\r like Python's universal newlines", () => {
    expect(wikitextRows("a\r\nb\rc\n")).toEqual(["a\n", "b\n", "c\n"]);
  });

  it("joining the non-blank rows gives back the non-blank lines of the file", () => {
    fc.assert(
      fc.property(fileArb, (file) => {
        const rows = wikitextRows(file);
        const lines = universalNewlines(file).split("\n").slice(0, -1);
        expect(rows).toHaveLength(lines.length);
        rows.forEach((r, i) => {
          expect(r).toBe(isBlank(lines[i]!) ? "" : `${lines[i]}\n`);
        });
      }),
    );
  });
});

describe("word counts", () => {
  it("counts words plus one <eos> per line, like torch_wt2_word.py", () => {
    expect(countWords(" \n = A = \n b c \n")).toBe(8);
    expect(countWords("x y")).toBe(0); // no trailing newline: Python's split("\n")[:-1] drops it
  });

  it("agrees between the file and its HF rows when the file ends with a newline", () => {
    fc.assert(
      fc.property(fileArb, (file) => {
        expect(countWordsOfRows(wikitextRows(file))).toBe(countWords(file));
      }),
    );
  });
});
