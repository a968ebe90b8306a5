/**
 * WikiText files on disk (Node): read, then rowed by ./readers.ts.
 */
import { readFile } from "node:fs/promises";
import * as E from "fp-ts/lib/Either.js";
import type { WikitextError } from "./errors.js";
import { parquetTextRows, textFileRows } from "./readers.js";

const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Rows of an original WikiText file (`wiki.*.raw` / `wiki.*.tokens`) with Hugging Face's row semantics.
 *
 * @example
 * const rows = await readTextRows("/data/wiki.valid.raw")(); // right(["", " = Homarus gammarus = \n", ...])
 */
export const readTextRows = (path: string) => async (): Promise<E.Either<WikitextError, string[]>> => {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    return E.left({ _tag: "ReadFailed", path, reason: reason(e) });
  }
  return textFileRows(bytes, path);
};

/**
 * The `text` column of a Hugging Face WikiText parquet file on disk.
 *
 * @example
 * const rows = await readParquetRows("/cache/wikitext-2-raw-v1/test-00000-of-00001.parquet")();
 */
export const readParquetRows = (path: string) => async (): Promise<E.Either<WikitextError, string[]>> => {
  try {
    return await parquetTextRows(await readFile(path), path);
  } catch (e) {
    return E.left({ _tag: "ReadFailed", path, reason: reason(e) });
  }
};
