import { writeFileAtomically } from "@scratchgrad/tensor/atomic-file";
import * as E from "fp-ts/lib/Either.js";
import type { WikitextError } from "./errors.js";
import { type DownloadProblem, type FetchLike, fetchParquet } from "./fetch.js";

export type { DownloadProblem, FetchLike } from "./fetch.js";

const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e));

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
    const fetched = await fetchParquet(url, fetchFn);
    if (E.isLeft(fetched)) return fetched;
    const { bytes } = fetched.right;
    try {
      await writeFileAtomically(target, bytes, { createDirectory: true });
    } catch (e) {
      return E.left({ _tag: "CacheWriteFailed", path: target, reason: reason(e) });
    }
    return E.right(target);
  };
