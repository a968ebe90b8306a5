/** Helpers for comparing with Hugging Face's own tokenizers (the Rust library, through its Node binding). */
import fc from "fast-check";
import { Tokenizer as HfTokenizer } from "tokenizers";

export { HfTokenizer };

/** Any string of valid code points (full Unicode). */
export const unicodeText = fc.string({ unit: "binary", maxLength: 40 });

/** Strings built from the characters tokenizers find hardest: spaces, apostrophes, contraction letters. */
export const trickyText = fc.string({
  unit: fc.constantFrom(
    ..." \t\n\r'sStTreRvVmMlLdD aé1!.,-_#[]<|>".split(""),
    "\u0085",
    "\u00a0",
    "\u3000",
    "\ufeff",
    "\u0301",
    "中",
    "😀",
    "##",
    "[MASK]",
    "<|endoftext|>",
  ),
  maxLength: 30,
});

/** A code point offset (what HF reports) as a UTF-16 offset into `text` (what we report). */
export const codePointToUnitOffset = (text: string, codePoints: number): number => {
  let unit = 0;
  for (let k = 0; k < codePoints && unit < text.length; k++)
    unit += (text.codePointAt(unit) ?? 0) > 0xffff ? 2 : 1;
  return unit;
};

/** HF's encoding of `text`, with offsets converted to UTF-16 units. */
export const hfEncode = async (hf: HfTokenizer, text: string, addSpecialTokens = true) => {
  const e = await hf.encode(text, null, { addSpecialTokens });
  return {
    ids: e.getIds(),
    tokens: e.getTokens(),
    specialTokensMask: e.getSpecialTokensMask(),
    offsets: e
      .getOffsets()
      .map(([s, t]) => [codePointToUnitOffset(text, s!), codePointToUnitOffset(text, t!)]),
  };
};
