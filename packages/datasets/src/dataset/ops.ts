import { permutation } from "../random/permutation.js";
import type { Randomness } from "../random/randomSource.js";
import { type Columns, type Dataset, fromColumns, type Row, row } from "./dataset.js";

/** Options of {@link mapBatched}, as in Hugging Face's `Dataset.map(batched=True)`. */
export interface MapBatchedOptions<Rm extends string> {
  /** Rows per call (default 1000, Hugging Face's default); 0 or less means the whole dataset at once. */
  readonly batchSize?: number;
  /** Input columns to drop from the result (HF `remove_columns`). */
  readonly removeColumns?: readonly Rm[];
}

const sliceColumns = <R extends Row>(dataset: Dataset<R>, start: number, end: number): Columns<R> => {
  const batch = {} as { [K in keyof R]: readonly R[K][] };
  for (const name of dataset.columnNames as (keyof R & string)[])
    batch[name] = dataset.columns[name].slice(start, end);
  return batch;
};

/**
 * Hugging Face's batched `map`: `fn` sees `batchSize` rows at a time as columns and returns columns,
 * which may hold a different number of rows. Output columns replace input columns of the same name;
 * the other input columns are kept unless listed in `removeColumns` (and keeping them is an error when
 * the row count changes, exactly as in HF).
 *
 * @example
 * const words = mapBatched((b: { text: readonly string[] }) => ({ word: b.text.flatMap((t) => t.split(" ")) }), {
 *   removeColumns: ["text"],
 * })(fromRows([{ text: "a b" }, { text: "c" }]));
 * column(words, "word"); // ["a", "b", "c"]
 */
export const mapBatched =
  <R extends Row, Out extends Row, Rm extends keyof R & string = never>(
    fn: (batch: Columns<R>, start: number) => { readonly [K in keyof Out]: readonly Out[K][] },
    options: MapBatchedOptions<Rm> = {},
  ) =>
  (dataset: Dataset<R>): Dataset<Omit<R, Rm | keyof Out> & Out> => {
    const n = dataset.numRows;
    const batchSize = (options.batchSize ?? 1000) > 0 ? (options.batchSize ?? 1000) : Math.max(n, 1);
    const removed = new Set<string>(options.removeColumns ?? []);
    for (const name of removed) {
      if (!dataset.columnNames.includes(name)) {
        throw new RangeError(
          `mapBatched: cannot remove column "${name}"; the dataset has ${JSON.stringify(dataset.columnNames)}`,
        );
      }
    }
    const out: Record<string, unknown[]> = {};
    let outNames: string[] | undefined;
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(start + batchSize, n);
      const result = fn(sliceColumns(dataset, start, end), start) as Record<string, readonly unknown[]>;
      const names = Object.keys(result);
      const rows = result[names[0]!]?.length ?? end - start;
      for (const name of names) {
        if (result[name]!.length !== rows) {
          throw new RangeError(
            `mapBatched: the function returned ${result[name]!.length} values for "${name}" but ${rows} for "${names[0]}" ` +
              `(batch at row ${start}); return columns of equal length`,
          );
        }
      }
      const kept = dataset.columnNames.filter((c) => !removed.has(c) && !names.includes(c));
      if (kept.length > 0 && rows !== end - start) {
        throw new RangeError(
          `mapBatched: the function turned ${end - start} rows into ${rows} but input columns ${JSON.stringify(kept)} ` +
            "would be kept; list them in removeColumns (or return them) when the row count changes",
        );
      }
      const all = [...kept, ...names];
      if (outNames === undefined) {
        outNames = all;
        for (const name of all) out[name] = [];
      } else if (all.length !== outNames.length || all.some((c) => !outNames!.includes(c))) {
        throw new RangeError(
          `mapBatched: batch at row ${start} produced columns ${JSON.stringify(all)} but earlier batches ${JSON.stringify(outNames)}; ` +
            "return the same columns for every batch",
        );
      }
      for (const name of kept)
        for (const v of dataset.columns[name as keyof R].slice(start, end)) out[name]!.push(v);
      for (const name of names) for (const v of result[name]!) out[name]!.push(v);
    }
    if (outNames === undefined) {
      for (const name of dataset.columnNames) if (!removed.has(name)) out[name] = [];
    }
    return fromColumns(out as never);
  };

/**
 * Row-wise `map`: `fn`'s returned fields are merged over the row (HF `map` without `batched`).
 *
 * @example
 * const upper = map((r: { text: string }) => ({ n: r.text.length }))(fromRows([{ text: "ab" }]));
 * row(upper, 0); // { text: "ab", n: 2 }
 */
export const map =
  <R extends Row, Out extends Row, Rm extends keyof R & string = never>(
    fn: (row: R, index: number) => Out,
    options: { readonly removeColumns?: readonly Rm[] } = {},
  ) =>
  (dataset: Dataset<R>): Dataset<Omit<R, Rm | keyof Out> & Out> =>
    mapBatched<R, Out, Rm>(
      (batch, start) => {
        const names = Object.keys(batch) as (keyof R & string)[];
        const count = names.length > 0 ? batch[names[0]!].length : 0;
        const results: Out[] = [];
        for (let i = 0; i < count; i++) {
          const r = {} as Record<string, unknown>;
          for (const name of names) r[name] = batch[name][i];
          results.push(fn(r as R, start + i));
        }
        const cols = {} as Record<string, unknown[]>;
        for (const name of Object.keys(results[0] ?? {})) cols[name] = results.map((r) => r[name]);
        return cols as never;
      },
      {
        batchSize: dataset.numRows,
        ...(options.removeColumns ? { removeColumns: options.removeColumns } : {}),
      },
    )(dataset);

/**
 * Rows at `indices`, in that order (repeats allowed), like HF `select`.
 *
 * @example
 * select([2, 0])(fromColumns({ a: [10, 11, 12] })); // a: [12, 10]
 */
export const select =
  (indices: ArrayLike<number>) =>
  <R extends Row>(dataset: Dataset<R>): Dataset<R> => {
    const idx = Array.from(indices);
    for (const i of idx) {
      if (!Number.isInteger(i) || i < 0 || i >= dataset.numRows) {
        throw new RangeError(`select: index ${i} is outside 0..${dataset.numRows - 1}`);
      }
    }
    const cols = {} as { [K in keyof R]: R[K][] };
    for (const name of dataset.columnNames as (keyof R & string)[]) {
      const values = dataset.columns[name];
      cols[name] = idx.map((i) => values[i]!);
    }
    return fromColumns<R>(cols);
  };

/**
 * Rows for which `predicate` holds, in their original order.
 *
 * @example
 * filter((r: { text: string }) => r.text !== "")(fromRows([{ text: "" }, { text: "a" }])).numRows; // 1
 */
export const filter =
  <R extends Row>(predicate: (row: R, index: number) => boolean) =>
  (dataset: Dataset<R>): Dataset<R> => {
    const keep: number[] = [];
    for (let i = 0; i < dataset.numRows; i++) if (predicate(row(dataset, i), i)) keep.push(i);
    return select(keep)(dataset);
  };

/**
 * The rows in a random order drawn from `randomness` (a seed or a {@link RandomSource}):
 * the same seed always gives the same order.
 *
 * @example
 * shuffle(42)(fromColumns({ a: [1, 2, 3] })); // same order on every run
 */
export const shuffle =
  (randomness: Randomness) =>
  <R extends Row>(dataset: Dataset<R>): Dataset<R> =>
    select(permutation(dataset.numRows, randomness))(dataset);
