import fc from "fast-check";
import { byteLevelAlphabet as hfAlphabet } from "tokenizers";
import { describe, expect, it } from "vitest";
import { BYTE_TO_CHAR, byteLevelAlphabet, fromByteLevel, toByteLevel } from "./byte-level-alphabet.js";

describe("byte-level alphabet", () => {
  it("is GPT-2's: 256 distinct printable characters, the same set as HF's", () => {
    expect(new Set(byteLevelAlphabet()).size).toBe(256);
    expect(new Set(byteLevelAlphabet())).toEqual(new Set(hfAlphabet()));
    expect(String.fromCharCode(BYTE_TO_CHAR[0x20]!)).toBe("Ġ");
    expect(String.fromCharCode(BYTE_TO_CHAR[0x0a]!)).toBe("Ċ");
    expect(String.fromCharCode(BYTE_TO_CHAR[0x41]!)).toBe("A");
  });

  it("spells UTF-8 bytes and reads them back, for any string", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const spelled = toByteLevel(s);
        expect(spelled.length).toBe(new TextEncoder().encode(s).length);
        expect(fromByteLevel([spelled])).toBe(s);
      }),
    );
    expect(toByteLevel("héllo 😀")).toBe("hÃ©lloĠðŁĺĢ");
  });

  it("records which character each byte comes from", () => {
    const units: number[] = [];
    toByteLevel("aé😀", units);
    expect(units).toEqual([0, 1, 1, 2, 2, 2, 2]);
  });

  it("decodes leniently: split characters become U+FFFD, other tokens stand for themselves", () => {
    const smile = toByteLevel("😀");
    expect(fromByteLevel([smile.slice(0, 2)])).toBe("\ufffd");
    expect(fromByteLevel(["Hello", "[MASK]", "Ġworld"])).toBe("Hello[MASK] world");
    expect(fromByteLevel(["a", "日本"])).toBe("a日本");
  });
});
