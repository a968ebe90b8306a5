/**
 * WikiText-2 from the Hugging Face hub over `fetch`, without a file system: the parquet file of a split,
 * checked to hold a `text` column. The Node loader caches what this fetches (./download.ts); a browser
 * uses it directly (the hub answers cross-origin requests).
 */
import * as E from "fp-ts/lib/Either.js";
import { parquetTextRows } from "./readers.js";

/** The part of `fetch` the downloader uses; inject a stand-in in tests. */
export type FetchLike = (url: string) => Promise<{
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}>;

/** A download that did not produce a usable file (the caller reports it inside `SplitNotFound`). */
export interface DownloadProblem {
  readonly url: string;
  readonly reason: string;
}

const reason = (e: unknown): string => {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as { cause?: unknown }).cause;
  return cause instanceof Error ? `${e.message} (${cause.message})` : e.message;
};

/**
 * Fetches one parquet file and reads its `text` column: the file's bytes and its rows.
 *
 * @example
 * const got = await fetchParquet(parquetUrl("wikitext-2-raw-v1", "validation"), fetch);
 * // right({ bytes: Uint8Array(...), rows: ["", " = Robert Boulter = \n", ...] })
 */
export const fetchParquet = async (
  url: string,
  fetchFn: FetchLike,
): Promise<E.Either<DownloadProblem, { readonly bytes: Uint8Array; readonly rows: string[] }>> => {
  let bytes: Uint8Array;
  try {
    const response = await fetchFn(url);
    if (!response.ok) return E.left({ url, reason: `HTTP ${response.status} ${response.statusText}`.trim() });
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (e) {
    return E.left({ url, reason: reason(e) });
  }
  const rows = await parquetTextRows(bytes, url);
  if (E.isLeft(rows)) {
    const why = rows.left._tag === "BadParquet" ? rows.left.reason : rows.left._tag;
    return E.left({ url, reason: `the response is not a WikiText parquet file: ${why}` });
  }
  return E.right({ bytes, rows: rows.right });
};
