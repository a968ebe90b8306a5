/** One row: column name -> value. */
export type Row = Readonly<Record<string, unknown>>;

/** A dataset's storage: one array per column, all of the same length. */
export type Columns<R extends Row> = { readonly [K in keyof R]: readonly R[K][] };

/**
 * An immutable table, stored by column (like Arrow / Hugging Face `datasets`). Every operation returns a
 * new `Dataset`; the column arrays are frozen and never written after construction.
 */
export interface Dataset<R extends Row = Row> {
  readonly numRows: number;
  /** Column names (typed loosely so a dataset with extra columns fits where fewer are needed). */
  readonly columnNames: readonly string[];
  readonly columns: Columns<R>;
}

/**
 * Builds a dataset from columns of equal length.
 *
 * @example
 * const ds = fromColumns({ text: ["a", "b"], label: [0, 1] });
 * ds.numRows; // 2
 */
export const fromColumns = <R extends Row>(
  columns: { readonly [K in keyof R]: readonly R[K][] },
): Dataset<R> => {
  const columnNames = Object.keys(columns) as (keyof R & string)[];
  const lengths = columnNames.map((name) => columns[name].length);
  const numRows = lengths[0] ?? 0;
  columnNames.forEach((name, i) => {
    if (lengths[i] !== numRows) {
      throw new RangeError(
        `fromColumns: column "${name}" has ${lengths[i]} rows but "${columnNames[0]}" has ${numRows}; ` +
          "give every column the same number of rows",
      );
    }
  });
  const frozen = {} as { [K in keyof R]: readonly R[K][] };
  for (const name of columnNames)
    frozen[name] = Object.freeze([...columns[name]]) as readonly R[typeof name][];
  return Object.freeze({ numRows, columnNames: Object.freeze(columnNames), columns: Object.freeze(frozen) });
};

/**
 * Builds a dataset from rows; the columns are the keys of the first row (or `columnNames` when given,
 * which also names the columns of an empty dataset).
 *
 * @example
 * const ds = fromRows([{ text: "a" }, { text: "b" }]);
 * column(ds, "text"); // ["a", "b"]
 */
export const fromRows = <R extends Row>(
  rows: readonly R[],
  columnNames?: readonly (keyof R & string)[],
): Dataset<R> => {
  const names = columnNames ?? (Object.keys(rows[0] ?? {}) as (keyof R & string)[]);
  const columns = {} as { [K in keyof R]: R[K][] };
  for (const name of names)
    columns[name] = rows.map((r, i) => {
      if (!(name in r))
        throw new RangeError(`fromRows: row ${i} has no column "${name}"; every row needs the same keys`);
      return r[name];
    });
  return fromColumns<R>(columns);
};

/**
 * Row `index` as a plain object (negative indices are rejected, as are indices past the end).
 *
 * @example
 * row(fromRows([{ text: "a" }]), 0); // { text: "a" }
 */
export const row = <R extends Row>(dataset: Dataset<R>, index: number): R => {
  if (!Number.isInteger(index) || index < 0 || index >= dataset.numRows) {
    throw new RangeError(`row: index ${index} is outside 0..${dataset.numRows - 1}`);
  }
  const out = {} as Record<string, unknown>;
  for (const name of dataset.columnNames as (keyof R & string)[]) out[name] = dataset.columns[name][index];
  return out as R;
};

/**
 * All rows as plain objects.
 *
 * @example
 * toRows(fromColumns({ a: [1, 2] })); // [{ a: 1 }, { a: 2 }]
 */
export const toRows = <R extends Row>(dataset: Dataset<R>): R[] =>
  Array.from({ length: dataset.numRows }, (_, i) => row(dataset, i));

/**
 * One column's values (the frozen array itself: no copy).
 *
 * @example
 * column(fromColumns({ a: [1, 2] }), "a"); // [1, 2]
 */
export const column = <R extends Row, K extends keyof R & string>(
  dataset: Dataset<R>,
  name: K,
): readonly R[K][] => {
  const values = dataset.columns[name];
  if (values === undefined) {
    throw new RangeError(
      `column: no column "${name}"; the dataset has ${JSON.stringify(dataset.columnNames)}`,
    );
  }
  return values;
};
