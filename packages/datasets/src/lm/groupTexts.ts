import type { Dataset } from "../dataset/dataset.js";
import type { Blocks } from "./blocks.js";
import type { TokenizedRow } from "./tokenize.js";

/** Options of {@link groupTexts}; the defaults reproduce the lab's `map(group_texts, batched=True, batch_size=1000)`. */
export interface GroupTextsOptions {
  /** Tokens per block (the lab uses 128). */
  readonly blockSize: number;
  /** Rows concatenated together before cutting (default 1000, HF's); each batch drops its own remainder. */
  readonly batchSize?: number;
  /**
   * HF's `num_proc` (default 1): `map` first cuts the dataset into this many contiguous shards and batches
   * each shard from its own start, which moves the batch boundaries. Set it to the `num_proc` used on
   * the Python side to reproduce its blocks exactly.
   */
  readonly numShards?: number;
  /** Add `labels`, a copy of `inputIds` (run_clm's `result["labels"] = result["input_ids"].copy()`). */
  readonly labels?: boolean;
}

/**
 * Row ranges `[start, end)` of HF's contiguous shards (`Dataset.shard(n, i, contiguous=True)`): the first
 * `numRows % n` shards get one extra row.
 *
 * @example
 * contiguousShards(10, 3); // [[0, 4], [4, 7], [7, 10]]
 */
export const contiguousShards = (numRows: number, numShards: number): [number, number][] => {
  // HF lowers num_proc to the number of rows when there are fewer rows than processes.
  const n = Math.max(1, Math.min(numShards, numRows));
  const div = Math.floor(numRows / n);
  const mod = numRows % n;
  return Array.from({ length: n }, (_, i) => {
    const start = div * i + Math.min(i, mod);
    return [start, start + div + (i < mod ? 1 : 0)];
  });
};

// The [start, end) row ranges that HF's batched map hands to group_texts.
const batchRanges = (numRows: number, batchSize: number, numShards: number): [number, number][] =>
  contiguousShards(numRows, numShards).flatMap(([from, to]) => {
    const ranges: [number, number][] = [];
    for (let s = from; s < to; s += batchSize) ranges.push([s, Math.min(s + batchSize, to)]);
    return ranges;
  });

/**
 * Hugging Face's `group_texts` (run_clm.py / run_mlm.py) as the lab applies it with a batched map: within
 * each batch of `batchSize` rows, concatenate all rows' tokens, drop the remainder shorter than a block,
 * and cut the rest into blocks of `blockSize`. The result is stored compactly as {@link Blocks}.
 *
 * @example
 * const blocks = groupTexts({ blockSize: 128, labels: true })(tokenized); // causal LM
 * const mlmBlocks = groupTexts({ blockSize: 128 })(tokenized); // masked LM keeps specialTokensMask
 */
export const groupTexts =
  (options: GroupTextsOptions) =>
  (tokenized: Dataset<TokenizedRow>): Blocks => {
    const { blockSize } = options;
    const batchSize = options.batchSize ?? 1000;
    if (!Number.isInteger(blockSize) || blockSize < 1)
      throw new RangeError(`groupTexts: blockSize must be an integer >= 1, got ${blockSize}`);
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw new RangeError(`groupTexts: batchSize must be an integer >= 1, got ${batchSize}`);
    const ids = tokenized.columns.input_ids;
    const attention = tokenized.columns.attention_mask;
    const special = tokenized.columns.special_tokens_mask;
    const ranges = batchRanges(tokenized.numRows, batchSize, options.numShards ?? 1);

    const kept = ranges.map(([start, end]) => {
      let total = 0;
      for (let r = start; r < end; r++) total += ids[r]!.length;
      return total - (total % blockSize); // the remainder of each batch is dropped
    });
    const numTokens = kept.reduce((a, b) => a + b, 0);
    const inputIds = new Int32Array(numTokens);
    const attentionMask = new Uint8Array(numTokens);
    const specialTokensMask = new Uint8Array(numTokens);

    let at = 0;
    ranges.forEach(([start], b) => {
      let left = kept[b]!;
      for (let r = start; left > 0; r++) {
        const take = Math.min(ids[r]!.length, left);
        inputIds.set(ids[r]!.subarray(0, take), at);
        attentionMask.set(attention[r]!.subarray(0, take), at);
        specialTokensMask.set(special[r]!.subarray(0, take), at);
        at += take;
        left -= take;
      }
    });
    return Object.freeze({
      blockSize,
      numBlocks: numTokens / blockSize,
      inputIds,
      attentionMask,
      specialTokensMask,
      ...(options.labels ? { labels: inputIds.slice() } : {}),
    });
  };

/**
 * A line-for-line port of HF's `group_texts(examples)` for one batch of columns of plain arrays, usable
 * with `mapBatched`. It is the readable reference that {@link groupTexts} is tested against.
 *
 * @example
 * mapBatched(groupTextsBatch(128), { batchSize: 1000 })(tokenizedAsArrays);
 */
export const groupTextsBatch =
  (blockSize: number, labels = true) =>
  (examples: { readonly [column: string]: readonly (readonly number[])[] }): Record<string, number[][]> => {
    const keys = Object.keys(examples);
    // concatenated_examples = {k: list(chain(*examples[k])) for k in examples.keys()}
    const concatenated = Object.fromEntries(keys.map((k) => [k, examples[k]!.flatMap((row) => [...row])]));
    // total_length = (total_length // block_size) * block_size
    const total = Math.floor((concatenated[keys[0]!]?.length ?? 0) / blockSize) * blockSize;
    const result: Record<string, number[][]> = {};
    for (const k of keys) {
      result[k] = [];
      for (let i = 0; i < total; i += blockSize) result[k]!.push(concatenated[k]!.slice(i, i + blockSize));
    }
    if (labels) result.labels = result.input_ids!.map((block) => [...block]);
    return result;
  };
