import { charClasses, codePointAt, SPACE, unitLength } from "../unicode/char-classes.js";
import type { PostProcessor } from "./post-processor.js";

const isSpaceLike = (c: number) =>
  c === 0x120 /* "Ġ", a byte-level space */ || (charClasses()[c]! & SPACE) !== 0;

/** Per UTF-16 index of `text`, its code point index; and per code point index, its UTF-16 index. */
const codePointIndex = (text: string) => {
  const cpOfUnit = new Int32Array(text.length + 1);
  const unitOfCp: number[] = [];
  let cps = 0;
  for (let i = 0; i < text.length; ) {
    const u = unitLength(codePointAt(text, i));
    cpOfUnit[i] = cps;
    if (u === 2) cpOfUnit[i + 1] = cps;
    unitOfCp.push(i);
    cps++;
    i += u;
  }
  cpOfUnit[text.length] = cps;
  unitOfCp.push(text.length);
  return { cpOfUnit, unitOfCp };
};

/**
 * HF's ByteLevel post-processor: adds nothing; with `trimOffsets`, each token's offsets leave out its
 * leading and trailing spaces (except the one space `addPrefixSpace` put before the first word).
 *
 * HF counts in characters (code points), so the arithmetic is done on code point offsets here too, which
 * keeps the result HF's even where it is surprising: the prefix space stands for the first character, so
 * a lone prefix-space token before an unknown "中" trims to the empty range after it.
 */
export const byteLevelPostProcessor =
  (options: { trimOffsets: boolean; addPrefixSpace: boolean }): PostProcessor =>
  (encoding, _addSpecialTokens, text) => {
    const offsets = encoding.offsets;
    if (!options.trimOffsets || offsets === undefined) return encoding;
    const { cpOfUnit, unitOfCp } = codePointIndex(text);
    const trimmed = offsets.map(([start, end], i): [number, number] => {
      const token = encoding.tokens[i]!;
      let leading = 0;
      while (leading < token.length && isSpaceLike(codePointAt(token, leading))) leading++;
      if (leading === 0 && !isSpaceLike(codePointAt(token, token.length - 1))) return [start, end];
      let trailing = 0;
      while (trailing < token.length && isSpaceLike(codePointAt(token, token.length - 1 - trailing)))
        trailing++;
      let s = cpOfUnit[start]!;
      let e = cpOfUnit[end]!;
      if (leading > 0) {
        const isFirst = i === 0 || s === 0;
        if (!(isFirst && options.addPrefixSpace && leading === 1)) s = Math.min(s + leading, e);
      }
      if (trailing > 0 && e >= trailing) e = Math.max(e - trailing, s);
      return [unitOfCp[s]!, unitOfCp[e]!];
    });
    return { ...encoding, offsets: trimmed };
  };
