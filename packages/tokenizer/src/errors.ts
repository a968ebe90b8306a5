/**
 * Everything that can go wrong reading or writing a tokenizer, as a tagged union: match on `_tag`, or
 * print `formatTokenizerError(e)`.
 */
export type TokenizerError =
  /** The text is not JSON at all. */
  | { readonly _tag: "InvalidJson"; readonly message: string }
  /**
   * A field is missing or has the wrong shape; `path` names it (`model.merges[12]`), `file` the file
   * when it is not tokenizer.json (`tokenizer_config.json`).
   */
  | {
      readonly _tag: "InvalidField";
      readonly path: string;
      readonly expected: string;
      readonly got: string;
      readonly file?: string;
    }
  /** A component `type` this package does not implement. */
  | {
      readonly _tag: "UnsupportedComponent";
      readonly path: string;
      readonly type: string;
      readonly supported: readonly string[];
    }
  /** The file could not be read. */
  | { readonly _tag: "ReadFailed"; readonly path: string; readonly message: string }
  /** The file could not be written. */
  | { readonly _tag: "WriteFailed"; readonly path: string; readonly message: string };

export const invalidField = (
  path: string,
  expected: string,
  value: unknown,
  file?: string,
): TokenizerError => ({
  _tag: "InvalidField",
  path,
  expected,
  got: describe(value),
  ...(file === undefined ? {} : { file }),
});

const describe = (value: unknown): string => {
  if (value === undefined) return "nothing (the field is missing)";
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "object") return "an object";
  const shown = JSON.stringify(value);
  return `${typeof value} ${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown}`;
};

/**
 * One line that says what went wrong and where.
 *
 * @example
 * formatTokenizerError({ _tag: "InvalidField", path: "model.vocab", expected: "an object", got: "null" });
 * // "tokenizer.json: model.vocab should be an object, got null"
 */
export const formatTokenizerError = (e: TokenizerError): string => {
  switch (e._tag) {
    case "InvalidJson":
      return `tokenizer.json is not valid JSON: ${e.message}`;
    case "InvalidField":
      return `${e.file ?? "tokenizer.json"}: ${e.path} should be ${e.expected}, got ${e.got}`;
    case "UnsupportedComponent":
      return `tokenizer.json: ${e.path} "${e.type}" is not supported (supported: ${e.supported.join(", ")})`;
    case "ReadFailed":
      return `cannot read tokenizer ${e.path}: ${e.message}`;
    case "WriteFailed":
      return `cannot write tokenizer ${e.path}: ${e.message}`;
  }
};
