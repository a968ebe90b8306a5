import { charClasses, codePointAt, SPACE, unitLength } from "../unicode/char-classes.js";
import type { PreTokenizer, WordSink } from "./pre-tokenizer.js";

/** Splits on whitespace, which is dropped (HF `WhitespaceSplit`): "a  b\tc" -> "a" "b" "c". */
export const splitWhitespace = (text: string, sink: WordSink): void => {
  const table = charClasses();
  let start = -1;
  for (let i = 0; i < text.length; ) {
    const cp = codePointAt(text, i);
    const u = unitLength(cp);
    if (table[cp]! & SPACE) {
      if (start >= 0) sink(start, i);
      start = -1;
    } else if (start < 0) {
      start = i;
    }
    i += u;
  }
  if (start >= 0) sink(start, text.length);
};

/** HF `WhitespaceSplit`. */
export const whitespaceSplitPreTokenizer: PreTokenizer = {
  split: splitWhitespace,
  byteLevel: false,
  addPrefixSpace: false,
};
