import { isBlank } from "./pythonWhitespace.js";

/**
 * Python's universal-newline reading (`open(path, encoding="utf-8")`): "\r\n" and "\r" become "\n".
 *
 * @example
 * universalNewlines("a\r\nb\rc"); // "a\nb\nc"
 */
export const universalNewlines = (text: string): string => text.replace(/\r\n?/g, "\n");

/**
 * The rows Hugging Face's WikiText loader yields for a file's text: one row per line, each line with its
 * trailing "\n", and "" for empty or whitespace-only lines (`yield {"text": row if row.strip() else ""}`).
 *
 * @example
 * wikitextRows(" \n = Title = \n"); // ["", " = Title = \n"]
 */
export const wikitextRows = (fileText: string): string[] => {
  const text = universalNewlines(fileText);
  const rows: string[] = [];
  let start = 0;
  while (start < text.length) {
    const end = text.indexOf("\n", start);
    const line = end === -1 ? text.slice(start) : text.slice(start, end + 1);
    rows.push(isBlank(line) ? "" : line);
    start = end === -1 ? text.length : end + 1;
  }
  return rows;
};
