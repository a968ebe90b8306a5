import { permutation } from "../random/permutation.js";
import type { Randomness } from "../random/randomSource.js";
import type { Dataset, Row } from "./dataset.js";

/** Options of {@link formatTable}. */
export interface FormatTableOptions {
  /** Longest cell, in characters, before it is cut with "…" (default 80). */
  readonly maxWidth?: number;
  /** Labels of the index column, one per row (default 0..n-1). */
  readonly index?: readonly number[];
}

const cell = (value: unknown, maxWidth: number): string => {
  let text: string;
  if (typeof value === "string")
    text = JSON.stringify(value).slice(1, -1); // shows "\n" instead of breaking the table
  else if (ArrayBuffer.isView(value) || Array.isArray(value))
    text = `[${Array.from(value as ArrayLike<unknown>).join(", ")}]`;
  else text = String(value);
  return text.length > maxWidth ? `${text.slice(0, maxWidth - 1)}…` : text;
};

/**
 * Renders a dataset as a plain-text table, one line per row, with an index column.
 *
 * @example
 * formatTable(fromRows([{ text: "a\n" }]));
 * // "  | text\n--+-----\n0 | a\\n"
 */
export const formatTable = <R extends Row>(dataset: Dataset<R>, options: FormatTableOptions = {}): string => {
  const maxWidth = options.maxWidth ?? 80;
  const index = options.index ?? Array.from({ length: dataset.numRows }, (_, i) => i);
  const header = ["", ...dataset.columnNames];
  const body = index.map((label, i) => [
    String(label),
    ...dataset.columnNames.map((c) => cell(dataset.columns[c][i], maxWidth)),
  ]);
  const widths = header.map((h, j) => Math.max(h.length, ...body.map((r) => r[j]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, j) => (j === cells.length - 1 ? c : c.padEnd(widths[j]!)))
      .join(" | ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("-+-"), ...body.map(line)].join("\n");
};

/**
 * `n` distinct random row indices of a dataset of `numRows` rows, drawn from `randomness`.
 *
 * @example
 * randomIndices(100, 3, 0); // e.g. [41, 7, 93]; same seed, same picks
 */
export const randomIndices = (numRows: number, n: number, randomness: Randomness): number[] => {
  if (n > numRows) {
    throw new RangeError(
      `showRandomElements: can't pick ${n} elements from a dataset of ${numRows} rows; ask for at most ${numRows}`,
    );
  }
  return Array.from(permutation(numRows, randomness).subarray(0, n));
};

/**
 * The lab's exploration step (`show_random_elements`): prints a table of `n` distinct random rows,
 * labelled by their row index, and returns the printed text.
 *
 * @example
 * showRandomElements(datasets.train, 10, 42); // prints 10 rows of the `text` column
 */
export const showRandomElements = <R extends Row>(
  dataset: Dataset<R>,
  n: number,
  randomness: Randomness,
  print: (text: string) => void = console.log,
  options: Omit<FormatTableOptions, "index"> = {},
): string => {
  const picks = randomIndices(dataset.numRows, n, randomness);
  const picked = {} as Record<string, unknown[]>;
  for (const name of dataset.columnNames) picked[name] = picks.map((i) => dataset.columns[name][i]);
  const table = formatTable(
    { numRows: n, columnNames: dataset.columnNames, columns: picked as Dataset<R>["columns"] },
    { ...options, index: picks },
  );
  print(table);
  return table;
};
