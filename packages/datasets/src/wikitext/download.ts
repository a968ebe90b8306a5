import { writeFileAtomically } from "@scratchgrad/tensor/atomic-file";
import * as E from "fp-ts/lib/Either.js";
import type { WikitextError } from "./errors.js";
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
 * Downloads one parquet file, checks that it holds a `text` column, then writes it atomically to `target`
 * and returns `target`
 * (a temporary file renamed into place, so an interrupted download never leaves a half file in the cache).
 *
 * @example
 * await downloadParquet(parquetUrl("wikitext-2-raw-v1", "train"), "/cache/train.parquet", fetch)();
 */
export const downloadParquet =
  (url: string, target: string, fetchFn: FetchLike) =>
  async (): Promise<E.Either<DownloadProblem | WikitextError, string>> => {
    let bytes: Uint8Array;
    try {
      const response = await fetchFn(url);
      if (!response.ok)
        return E.left({ url, reason: `HTTP ${response.status} ${response.statusText}`.trim() });
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (e) {
      return E.left({ url, reason: reason(e) });
    }
    const rows = await parquetTextRows(bytes, url);
    if (E.isLeft(rows)) {
      const why = rows.left._tag === "BadParquet" ? rows.left.reason : rows.left._tag;
      return E.left({ url, reason: `the response is not a WikiText parquet file: ${why}` });
    }
    try {
      await writeFileAtomically(target, bytes, { createDirectory: true });
    } catch (e) {
      return E.left({ _tag: "CacheWriteFailed", path: target, reason: reason(e) });
    }
    return E.right(target);
  };
