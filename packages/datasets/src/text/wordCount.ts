import { universalNewlines } from "./lines.js";
import { splitWords } from "./pythonWhitespace.js";

/**
 * Words of a WikiText file as the word-level benchmark counts them (`/work/shared/bench/torch_wt2_word.py`):
 * for every line of `text.split("\n")[:-1]`, its whitespace-separated words plus one `<eos>`, so empty
 * lines count 1 and a last line without "\n" is not counted. WikiText-2 v1 gives train 2,088,628 and
 * valid 217,646.
 *
 * @example
 * countWords(" \n = A = \n b c \n"); // 1 + 4 + 3 = 8
 */
export const countWords = (fileText: string): number => {
  const lines = universalNewlines(fileText).split("\n");
  let total = 0;
  for (let i = 0; i < lines.length - 1; i++) total += splitWords(lines[i]!).length + 1;
  return total;
};

/**
 * The same count from Hugging Face rows (one row per line, see `wikitextRows`): words + one `<eos>` per row.
 * Equals {@link countWords} of the file whenever the file ends with "\n", as WikiText's files do.
 *
 * @example
 * countWordsOfRows(["", " = A = \n", " b c \n"]); // 8
 */
export const countWordsOfRows = (texts: readonly string[]): number => {
  let total = 0;
  for (const text of texts) total += splitWords(text).length + 1;
  return total;
};
