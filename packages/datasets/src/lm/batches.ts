import { permutation } from "../random/permutation.js";
import type { Randomness } from "../random/randomSource.js";

/**
 * One epoch of training batches: a random permutation of the block indices cut into batches of
 * `batchSize` (the last, shorter batch is dropped unless `dropLast` is false), like
 * `perm = torch.randperm(n); x = blocks[perm[i * B:(i + 1) * B]]`. Feed each to {@link batchOf}.
 *
 * @example
 * for (const indices of epochBatches(blocks.numBlocks, 8, epochKey)) step(batchOf(blocks, indices));
 */
export const epochBatches = (
  numBlocks: number,
  batchSize: number,
  randomness: Randomness,
  options: { readonly dropLast?: boolean } = {},
): Int32Array[] => {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`epochBatches: batchSize must be an integer >= 1, got ${batchSize}`);
  const order = permutation(numBlocks, randomness);
  const batches: Int32Array[] = [];
  for (let start = 0; start < numBlocks; start += batchSize) {
    if (start + batchSize > numBlocks && options.dropLast !== false) break;
    batches.push(order.slice(start, Math.min(start + batchSize, numBlocks)));
  }
  return batches;
};
