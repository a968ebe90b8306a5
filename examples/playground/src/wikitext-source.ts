/**
 * WikiText-2 for the page: files the user picks (the original `wiki.*.tokens` / `wiki.*.raw`, or the
 * hub's parquet files), or the hub's parquet fetched over the network — read into rows exactly as the
 * Node trainer reads them (`wikitextRows`, `parquetTextRows`), so the same file gives the same run.
 */
import { parquetTextRows, parquetUrl, type WikitextConfig, wikitextRows } from "@scratchgrad/datasets";
import * as E from "fp-ts/lib/Either.js";

/** The splits a run uses. */
export type RunSplit = "train" | "validation";

const PARQUET_MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1"
const isParquet = (bytes: Uint8Array): boolean => PARQUET_MAGIC.every((b, i) => bytes[i] === b);

// fatal, and the BOM kept: the trainer's reading of a text file (datasets' readTextRows)
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * The rows of a file's bytes: a parquet file's `text` column, else the lines of a WikiText text file.
 * @example await rowsOfBytes(new TextEncoder().encode(" = A = \n"), "wiki.train.tokens") // Right([" = A = \n"])
 */
export const rowsOfBytes = async (bytes: Uint8Array, name: string): Promise<E.Either<string, string[]>> => {
  if (isParquet(bytes)) {
    const rows = await parquetTextRows(bytes, name);
    return E.isLeft(rows)
      ? E.left(`${name}: not a WikiText parquet file (${JSON.stringify(rows.left)})`)
      : rows;
  }
  try {
    return E.right(wikitextRows(utf8.decode(bytes)));
  } catch (e) {
    return E.left(`${name}: not valid UTF-8 (${(e as Error).message})`);
  }
};

/**
 * Which split a picked file holds, from its name as the hub and the original archive name them.
 * @example splitOfFileName("wiki.valid.tokens") // "validation"
 */
export const splitOfFileName = (name: string): RunSplit | "test" | undefined => {
  const n = name.toLowerCase();
  if (/(^|[./_-])train([./_-]|$)/.test(n)) return "train";
  if (/(^|[./_-])(valid|validation)([./_-]|$)/.test(n)) return "validation";
  if (/(^|[./_-])test([./_-]|$)/.test(n)) return "test";
  return undefined;
};

/**
 * One split from the Hugging Face hub (`Salesforce/wikitext`'s parquet; the hub answers with CORS
 * headers, so a cross-origin-isolated page may fetch it).
 * @example const rows = await rowsFromHub("wikitext-2-raw-v1", "validation", fetch);
 */
export const rowsFromHub = async (
  config: WikitextConfig,
  split: RunSplit,
  fetchFn: typeof fetch,
): Promise<E.Either<string, string[]>> => {
  const url = parquetUrl(config, split);
  try {
    const response = await fetchFn(url, { mode: "cors" });
    if (!response.ok) return E.left(`${url}: HTTP ${response.status}; pick the files from disk instead`);
    return rowsOfBytes(new Uint8Array(await response.arrayBuffer()), url);
  } catch (e) {
    return E.left(`${url}: ${(e as Error).message}; offline? pick the files from disk instead`);
  }
};
