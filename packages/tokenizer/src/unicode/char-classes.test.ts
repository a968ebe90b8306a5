import { describe, expect, it } from "vitest";
import { type HfCharClass, hfProbes } from "../test-utils/hf-probes.js";
import {
  BERT_CONTROL,
  BERT_PUNCTUATION,
  CHINESE,
  COMBINING_MARK,
  charClasses,
  codePointAt,
  LETTER,
  NONSPACING_MARK,
  NUMBER,
  SPACE,
} from "./char-classes.js";
import * as tables from "./tables.generated.js";

const bits: Record<HfCharClass, number> = {
  letter: LETTER,
  number: NUMBER,
  space: SPACE,
  bertControl: BERT_CONTROL,
  bertPunctuation: BERT_PUNCTUATION,
  chinese: CHINESE,
  nonspacingMark: NONSPACING_MARK,
  combiningMark: COMBINING_MARK,
};

/** Code points worth checking: every range edge (and its neighbours), all of ASCII and Latin-1, a stride. */
const sample = (): number[] => {
  const points = new Set<number>();
  for (let cp = 0; cp < 0x300; cp++) points.add(cp);
  for (let cp = 0; cp < 0x110000; cp += 97) points.add(cp);
  for (const name of Object.keys(hfProbes) as HfCharClass[]) {
    const ranges = (tables as Record<string, readonly number[]>)[`${name}Ranges`]!;
    for (const edge of ranges) for (const d of [-1, 0, 1]) points.add(edge + d);
  }
  return [...points].filter((cp) => cp >= 0 && cp < 0x110000 && !(cp >= 0xd800 && cp <= 0xdfff));
};

describe("character classes", () => {
  it.each(Object.keys(hfProbes) as HfCharClass[])("%s agrees with Hugging Face's tokenizers", (name) => {
    const table = charClasses();
    const wrong = sample().filter(
      (cp) => hfProbes[name](String.fromCodePoint(cp)) !== ((table[cp]! & bits[name]) !== 0),
    );
    expect(wrong.map((cp) => cp.toString(16))).toEqual([]);
  });

  it("differ from Node's own Unicode where HF's older tables do (so the tables are needed)", () => {
    const table = charClasses();
    // U+0085 is \s for HF (not for JS's \s); U+FEFF is \s for JS only; U+2E53 became punctuation after
    // the tables HF's BERT pre-tokenizer uses.
    expect(table[0x85]! & SPACE).toBe(SPACE);
    expect(/\s/.test("\u0085")).toBe(false);
    expect(table[0xfeff]! & SPACE).toBe(0);
    expect(/\s/.test("\ufeff")).toBe(true);
    expect(table[0x2e53]! & BERT_PUNCTUATION).toBe(0);
    expect(/\p{P}/u.test("\u2e53")).toBe(true);
  });

  it("reads code points across surrogate pairs", () => {
    expect(codePointAt("a😀", 1)).toBe(0x1f600);
    expect(codePointAt("\ud800x", 0)).toBe(0xd800);
  });
});
