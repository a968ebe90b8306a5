import { type Dataset, fromColumns } from "../dataset/dataset.js";

/**
 * Grouped token blocks stored compactly: block `b` is `inputIds.subarray(b * blockSize, (b + 1) * blockSize)`.
 * WikiText-2 gives ~20k blocks of 128 tokens, read every training step, so no per-block arrays.
 * Treat the arrays as read-only.
 */
export interface Blocks {
  readonly blockSize: number;
  readonly numBlocks: number;
  readonly inputIds: Int32Array; // [numBlocks * blockSize]
  readonly attentionMask: Uint8Array; // [numBlocks * blockSize]
  readonly specialTokensMask: Uint8Array; // [numBlocks * blockSize]
  /** A copy of `inputIds`, present when grouped with `labels: true` (the causal LM's `labels`). */
  readonly labels?: Int32Array;
}

/** The per-token columns of {@link Blocks}. */
export type BlockColumn = "inputIds" | "attentionMask" | "specialTokensMask" | "labels";

const columnOf = (blocks: Blocks, name: BlockColumn): Int32Array | Uint8Array => {
  const values = blocks[name];
  if (values === undefined)
    throw new RangeError(`blocks have no "${name}"; group with labels: true to get them`);
  return values;
};

const checkIndex = (blocks: Blocks, index: number) => {
  if (!Number.isInteger(index) || index < 0 || index >= blocks.numBlocks) {
    throw new RangeError(`block index ${index} is outside 0..${blocks.numBlocks - 1}`);
  }
};

/**
 * Gathers the blocks at `indices` into one contiguous batch `[B * T]` (row-major, B = indices.length,
 * T = blockSize), ready to become a `[B, T]` tensor.
 *
 * @example
 * const x = batchOf(blocks, Int32Array.of(5, 2)); // Int32Array of 2 * blockSize ids
 * const mask = batchOf(blocks, [5, 2], "specialTokensMask"); // Uint8Array
 */
export function batchOf(
  blocks: Blocks,
  indices: ArrayLike<number>,
  column?: "inputIds" | "labels",
): Int32Array;
export function batchOf(
  blocks: Blocks,
  indices: ArrayLike<number>,
  column: "attentionMask" | "specialTokensMask",
): Uint8Array;
export function batchOf(
  blocks: Blocks,
  indices: ArrayLike<number>,
  column: BlockColumn = "inputIds",
): Int32Array | Uint8Array {
  const source = columnOf(blocks, column);
  const t = blocks.blockSize;
  const out =
    source instanceof Int32Array ? new Int32Array(indices.length * t) : new Uint8Array(indices.length * t);
  for (let b = 0; b < indices.length; b++) {
    const index = indices[b]!;
    checkIndex(blocks, index);
    out.set(source.subarray(index * t, (index + 1) * t), b * t); // [T] into row b of [B, T]
  }
  return out;
}

/**
 * One block's columns as views (no copy).
 *
 * @example
 * tokenizer.decode(blockAt(blocks, 1).inputIds); // the lab's `tokenizer.decode(lm_datasets["train"][1]["input_ids"])`
 */
export const blockAt = (
  blocks: Blocks,
  index: number,
): {
  inputIds: Int32Array;
  attentionMask: Uint8Array;
  specialTokensMask: Uint8Array;
  labels?: Int32Array;
} => {
  checkIndex(blocks, index);
  const [from, to] = [index * blocks.blockSize, (index + 1) * blocks.blockSize];
  return {
    inputIds: blocks.inputIds.subarray(from, to),
    attentionMask: blocks.attentionMask.subarray(from, to),
    specialTokensMask: blocks.specialTokensMask.subarray(from, to),
    ...(blocks.labels ? { labels: blocks.labels.subarray(from, to) } : {}),
  };
};

/** A grouped block as a dataset row, with Hugging Face's column names. */
export type BlockRow = {
  readonly input_ids: Int32Array;
  readonly attention_mask: Uint8Array;
  readonly special_tokens_mask: Uint8Array;
  readonly labels?: Int32Array;
};

/**
 * The blocks as a `Dataset` (rows are views into the compact arrays), e.g. for `showRandomElements`.
 *
 * @example
 * showRandomElements(blocksToDataset(blocks), 3, 0);
 */
export const blocksToDataset = (blocks: Blocks): Dataset<BlockRow> => {
  const rows = Array.from({ length: blocks.numBlocks }, (_, i) => blockAt(blocks, i));
  const columns = {
    input_ids: rows.map((r) => r.inputIds),
    attention_mask: rows.map((r) => r.attentionMask),
    special_tokens_mask: rows.map((r) => r.specialTokensMask),
    ...(blocks.labels ? { labels: rows.map((r) => r.labels!) } : {}),
  };
  return fromColumns<BlockRow>(columns as never);
};
