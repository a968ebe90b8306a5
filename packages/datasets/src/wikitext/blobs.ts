/**
 * WikiText-2 splits without a file system (a browser): from files a person picked (`File`s of
 * `wiki.*.tokens` / `wiki.*.raw` or the hub's parquet), or fetched from the Hugging Face hub. The rows are
 * those the Node loader gives for the same files.
 */
import * as E from "fp-ts/lib/Either.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import { type Dataset, fromColumns } from "../dataset/dataset.js";
import type { SplitName } from "../dataset/datasetDict.js";
import { defaultHubUrl, parquetUrl, type WikitextConfig } from "./config.js";
import type { WikitextError } from "./errors.js";
import { type FetchLike, fetchParquet } from "./fetch.js";
import { parquetTextRows, type TextRow, textFileRows } from "./readers.js";

/**
 * One split from a `Blob` or `File`: a name ending in `.parquet` is read as the hub's parquet file,
 * anything else as an original WikiText text file. `name` defaults to the File's own name.
 *
 * @example
 * const valid = await wikitextSplitFromBlob(input.files[0])(); // right(Dataset { columnNames: ["text"] })
 */
export const wikitextSplitFromBlob =
  (blob: Blob, name?: string): TE.TaskEither<WikitextError, Dataset<TextRow>> =>
  async () => {
    const path = name ?? (blob as { name?: string }).name ?? "blob";
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await blob.arrayBuffer());
    } catch (e) {
      return E.left({ _tag: "ReadFailed", path, reason: e instanceof Error ? e.message : String(e) });
    }
    const rows = path.endsWith(".parquet") ? await parquetTextRows(bytes, path) : textFileRows(bytes, path);
    return E.map((text: string[]) => fromColumns<TextRow>({ text }))(rows);
  };

/** Where `fetchWikitextSplit` fetches from. */
export interface WikitextFetchOptions {
  /** The fetch to use (default `globalThis.fetch`). */
  readonly fetch?: FetchLike;
  /** Hub address (default https://huggingface.co). */
  readonly hubUrl?: string;
}

/**
 * One split fetched from the hub's `Salesforce/wikitext` parquet files (nothing is cached: a browser's
 * HTTP cache keeps the response). A failed download is `SplitNotFound` with the URL and the reason.
 *
 * @example
 * const train = await fetchWikitextSplit("wikitext-2-raw-v1", "train")();
 */
export const fetchWikitextSplit =
  (
    config: WikitextConfig,
    split: SplitName,
    options: WikitextFetchOptions = {},
  ): TE.TaskEither<WikitextError, Dataset<TextRow>> =>
  async () => {
    const url = parquetUrl(config, split, options.hubUrl ?? defaultHubUrl);
    const fetchFn = options.fetch ?? (globalThis.fetch as unknown as FetchLike);
    const fetched = await fetchParquet(url, fetchFn);
    if (E.isLeft(fetched))
      return E.left({ _tag: "SplitNotFound", config, split, searched: [], download: fetched.left });
    return E.right(fromColumns<TextRow>({ text: fetched.right.rows }));
  };
