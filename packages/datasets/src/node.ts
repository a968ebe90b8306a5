/**
 * @scratchgrad/datasets under Node (the `node` export condition, or `@scratchgrad/datasets/node`): the
 * whole package plus WikiText-2 from disk — local copies searched in order, the hub's parquet downloaded
 * into a cache. A browser bundle gets ./index.ts: `wikitextSplitFromBlob` for picked files,
 * `fetchWikitextSplit` for the hub.
 */
export * from "./index.js";
export { downloadParquet } from "./wikitext/download.js";
export { readParquetRows, readTextRows } from "./wikitext/files.js";
export {
  defaultCacheDir,
  loadWikitext,
  loadWikitextSplit,
  locateWikitextSplit,
  type WikitextLoadOptions,
  type WikitextSource,
  wikitextOptionsFromEnv,
} from "./wikitext/load.js";
