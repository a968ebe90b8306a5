// @scratchgrad/datasets: immutable datasets, the WikiText-2 loader, and Hugging Face-style block grouping.

// Datasets
export {
  type Columns,
  column,
  type Dataset,
  fromColumns,
  fromRows,
  type Row,
  row,
  toRows,
} from "./dataset/dataset.js";
export {
  type DatasetDict,
  mapSplits,
  parseSplitName,
  type SplitName,
  splitNames,
} from "./dataset/datasetDict.js";
export { filter, type MapBatchedOptions, map, mapBatched, select, shuffle } from "./dataset/ops.js";
export {
  type FormatTableOptions,
  formatTable,
  randomIndices,
  showRandomElements,
} from "./dataset/showRandomElements.js";
// Language-model preprocessing
export { epochBatches } from "./lm/batches.js";
export {
  type BlockColumn,
  type BlockRow,
  type Blocks,
  batchOf,
  blockAt,
  blocksToDataset,
} from "./lm/blocks.js";
export { contiguousShards, type GroupTextsOptions, groupTexts, groupTextsBatch } from "./lm/groupTexts.js";
export {
  type EncodeBatch,
  type Encoding,
  type TokenizedRow,
  type TokenizeOptions,
  tokenizeDataset,
} from "./lm/tokenize.js";
// Randomness (plug the project's PRNG keys in through RandomSource)
export { permutation } from "./random/permutation.js";
export {
  keySource,
  type Randomness,
  type RandomSource,
  seededSource,
  toRandomSource,
} from "./random/randomSource.js";
// Text as Python sees it
export { universalNewlines, wikitextRows } from "./text/lines.js";
export { isBlank, splitWords } from "./text/pythonWhitespace.js";
export { countWords, countWordsOfRows } from "./text/wordCount.js";
export {
  fetchWikitextSplit,
  type WikitextFetchOptions,
  wikitextSplitFromBlob,
} from "./wikitext/blobs.js";
// WikiText-2
export {
  defaultHubUrl,
  parquetFileName,
  parquetUrl,
  parseWikitextConfig,
  textFileName,
  type WikitextConfig,
  wikitextConfigs,
} from "./wikitext/config.js";
export { formatWikitextError, type WikitextError } from "./wikitext/errors.js";
export { type DownloadProblem, type FetchLike, fetchParquet } from "./wikitext/fetch.js";
export { parquetTextRows, type TextRow, textFileRows } from "./wikitext/readers.js";
