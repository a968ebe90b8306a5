import { BERT_PUNCTUATION, charClasses, codePointAt, SPACE, unitLength } from "../unicode/char-classes.js";
import type { PreTokenizer, WordSink } from "./pre-tokenizer.js";

/**
 * Splits on whitespace (dropped) and isolates each punctuation character as its own word, like HF's
 * `BertPreTokenizer`: "Hello, world!" -> "Hello" "," "world" "!".
 */
export const splitBert = (text: string, sink: WordSink): void => {
  const table = charClasses();
  let start = -1;
  for (let i = 0; i < text.length; ) {
    const cp = codePointAt(text, i);
    const u = unitLength(cp);
    const cls = table[cp]!;
    if (cls & (SPACE | BERT_PUNCTUATION)) {
      if (start >= 0) sink(start, i);
      start = -1;
      if (cls & BERT_PUNCTUATION && !(cls & SPACE)) sink(i, i + u);
    } else if (start < 0) {
      start = i;
    }
    i += u;
  }
  if (start >= 0) sink(start, text.length);
};

/** HF `BertPreTokenizer`. */
export const bertPreTokenizer: PreTokenizer = { split: splitBert, byteLevel: false, addPrefixSpace: false };
