import { readFile } from "node:fs/promises";
import * as E from "fp-ts/lib/Either.js";
import { parquetReadObjects } from "hyparquet";
import { wikitextRows } from "../text/lines.js";
import type { WikitextError } from "./errors.js";

// fatal: invalid UTF-8 is an error, as in Python's open(encoding="utf-8"); ignoreBOM: a leading U+FEFF
// stays in the first row, as Python's "utf-8" (not "utf-8-sig") keeps it.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

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
  try {
    return E.right(wikitextRows(utf8.decode(bytes)));
  } catch (e) {
    return E.left({ _tag: "ReadFailed", path, reason: `not valid UTF-8 (${reason(e)})` });
  }
};

/**
 * The `text` column of a Hugging Face parquet file already in memory.
 *
 * @example
 * parquetTextRows(await readFile("validation-00000-of-00001.parquet"), "validation.parquet");
 */
export const parquetTextRows = async (
  bytes: Uint8Array,
  path: string,
): Promise<E.Either<WikitextError, string[]>> => {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let rows: Record<string, unknown>[];
  try {
    rows = await parquetReadObjects({ file: buffer, columns: ["text"] });
  } catch (e) {
    return E.left({ _tag: "BadParquet", path, reason: reason(e) });
  }
  const texts: string[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const text = rows[i]!.text;
    if (typeof text !== "string") {
      return E.left({
        _tag: "BadParquet",
        path,
        reason: `row ${i} has no string "text" column (got ${typeof text})`,
      });
    }
    texts[i] = text;
  }
  return E.right(texts);
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
