// Python's str.isspace() set (what str.strip() and str.split() use). It differs from JavaScript's \s:
// Python also counts \x1c-\x1f and \x85, and does NOT count U+FEFF, which WikiText-2's train split
// contains inside lines; using \s would change word counts and blank-line decisions.
const WHITESPACE =
  "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const blank = new RegExp(`^[${WHITESPACE}]*$`);
const runs = new RegExp(`[${WHITESPACE}]+`);

/**
 * True when Python's `not text.strip()` holds: the text is empty or only whitespace (Python's set).
 *
 * @example
 * isBlank(" \n"); // true
 * isBlank("\ufeff"); // false, as in Python
 */
export const isBlank = (text: string): boolean => blank.test(text);

/**
 * Python's `text.split()`: the pieces between runs of whitespace, without empty strings.
 *
 * @example
 * splitWords(" = Harbour = \n"); // ["=", "Harbour", "="]
 */
export const splitWords = (text: string): string[] => text.split(runs).filter((w) => w !== "");
