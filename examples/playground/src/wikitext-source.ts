/**
 * WikiText-2 for the page: files the user picks (the original `wiki.*.tokens` / `wiki.*.raw`, or the
 * hub's parquet files) or the hub's parquet fetched over the network, read by datasets'
 * `wikitextSplitFromBlob` / `fetchWikitextSplit` — the Node loader's readers, so a file gives the same
 * rows, hence the same run, in both.
 */
import {
  fetchWikitextSplit,
  formatWikitextError,
  type WikitextConfig,
  type WikitextError,
  wikitextSplitFromBlob,
} from "@scratchgrad/datasets";
import * as E from "fp-ts/lib/Either.js";

/** The splits a run uses. */
export type RunSplit = "train" | "validation";

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

const textsOf = (
  loaded: E.Either<WikitextError, { readonly columns: { readonly text: readonly string[] } }>,
) => (E.isLeft(loaded) ? E.left(formatWikitextError(loaded.left)) : E.right([...loaded.right.columns.text]));

/**
 * The rows of a picked file (one string per line of a WikiText file; a parquet file's `text` column).
 * @example const rows = await rowsOfFile(input.files[0]);
 */
export const rowsOfFile = async (file: File): Promise<E.Either<string, string[]>> =>
  textsOf(await wikitextSplitFromBlob(file)());

/**
 * One split from the Hugging Face hub (`Salesforce/wikitext`'s parquet; the hub answers with CORS
 * headers, so a cross-origin-isolated page may fetch it).
 * @example const rows = await rowsFromHub("wikitext-2-raw-v1", "validation");
 */
export const rowsFromHub = async (
  config: WikitextConfig,
  split: RunSplit,
): Promise<E.Either<string, string[]>> => textsOf(await fetchWikitextSplit(config, split)());
