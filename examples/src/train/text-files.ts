/**
 * `--train-file` / `--validation-file`: the user's own text, as run_clm loads it with Hugging Face
 * `datasets`. A `.txt` file goes through the `text` builder: one row per line (Python's `splitlines`,
 * after universal-newline reading), with its line break when `keep_linebreaks` (run_clm's default).
 * A `.parquet` file gives its `text` column. Without a validation file, the first
 * `--validation-split-percentage` % of the training rows become the validation split (`train[:5%]`) and
 * the rest the training split (`train[5%:]`).
 */
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import {
  type Dataset,
  formatWikitextError,
  fromColumns,
  parquetTextRows,
  type TextRow,
  universalNewlines,
} from "@scratchgrad/datasets";
import * as E from "fp-ts/lib/Either.js";

/** A file that cannot be used, with what to do. */
export interface TextFileError {
  readonly _tag: "TextFileError";
  readonly path: string;
  readonly message: string;
}

// Python's str.splitlines boundaries once "\r\n" and "\r" are "\n": \n \v \f \x1c \x1d \x1e \x85 \u2028 \u2029
const LINE_ENDS = new Set(["\n", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]);

/**
 * The rows HF's `text` builder makes of a file's text: `text.splitlines(keepends=keepLinebreaks)`.
 * @example textFileRows("a\r\n\nb", true) // ["a\n", "\n", "b"]
 */
export const textFileRows = (fileText: string, keepLinebreaks: boolean): string[] => {
  const text = universalNewlines(fileText);
  const rows: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (!LINE_ENDS.has(text[i]!)) continue;
    rows.push(text.slice(start, keepLinebreaks ? i + 1 : i));
    start = i + 1;
  }
  if (start < text.length) rows.push(text.slice(start));
  return rows;
};

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The rows of one data file: `.txt` (one per line) or `.parquet` (its `text` column).
 * @example const rows = await readTextFile("train.txt", true)(); // Right(["first line\n", …])
 */
export const readTextFile =
  (path: string, keepLinebreaks: boolean) => async (): Promise<E.Either<TextFileError, string[]>> => {
    const fail = (message: string) => E.left<TextFileError>({ _tag: "TextFileError", path, message });
    const ext = extname(path).toLowerCase();
    if (ext !== ".txt" && ext !== ".parquet")
      return fail(`${path}: a data file must be .txt (one row per line) or .parquet (a "text" column)`);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (e) {
      return fail(`cannot read ${path}: ${(e as Error).message}`);
    }
    if (ext === ".parquet") {
      const rows = await parquetTextRows(bytes, path);
      return E.isLeft(rows) ? fail(formatWikitextError(rows.left)) : E.right(rows.right);
    }
    try {
      return E.right(textFileRows(utf8.decode(bytes), keepLinebreaks));
    } catch {
      return fail(`${path} is not valid UTF-8`);
    }
  };

// Python's round(): halves to even, as datasets' "closest" percent slicing rounds
const roundHalfEven = (x: number): number => {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

/**
 * run_clm's split when no validation file is given: `train[:p%]` is the validation split and
 * `train[p%:]` the training split (the boundary rounded as datasets rounds it).
 * @example splitForValidation(["a", "b", …40 rows], 5) // { train: 38 rows, validation: 2 rows }
 */
export const splitForValidation = (
  rows: readonly string[],
  percentage: number,
): { train: string[]; validation: string[] } => {
  const boundary = roundHalfEven((percentage * rows.length) / 100);
  return { train: rows.slice(boundary), validation: rows.slice(0, boundary) };
};

/** The train and validation rows from the user's files. */
export interface TextFileSplits {
  readonly train: Dataset<TextRow>;
  readonly validation: Dataset<TextRow>;
}

/**
 * Loads `--train-file` and `--validation-file` (or splits the training file).
 * @example const splits = await loadTextFiles({ trainFile: "train.txt", validationFile: "", keepLinebreaks: true, validationSplitPercentage: 5 })();
 */
export const loadTextFiles =
  (o: {
    readonly trainFile: string;
    readonly validationFile: string;
    readonly keepLinebreaks: boolean;
    readonly validationSplitPercentage: number;
  }) =>
  async (): Promise<E.Either<TextFileError, TextFileSplits>> => {
    const train = await readTextFile(o.trainFile, o.keepLinebreaks)();
    if (E.isLeft(train)) return train;
    let split: { train: string[]; validation: string[] };
    if (o.validationFile) {
      const validation = await readTextFile(o.validationFile, o.keepLinebreaks)();
      if (E.isLeft(validation)) return validation;
      split = { train: train.right, validation: validation.right };
    } else split = splitForValidation(train.right, o.validationSplitPercentage);
    return E.right({
      train: fromColumns<TextRow>({ text: split.train }),
      validation: fromColumns<TextRow>({ text: split.validation }),
    });
  };
