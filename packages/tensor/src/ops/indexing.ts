import { bind } from "../core/bind.js";
import { normalizeAxis } from "../core/shape.js";
import type { Tensor } from "../core/tensor.js";

/**
 * Entries of `x` along `axis` at `indices` (int32): an embedding lookup is `gather(table, ids)`.
 * Output shape: x.shape[:axis] + indices.shape + x.shape[axis+1:].
 */
export const gather = (x: Tensor, indices: Tensor, axis = 0): Tensor =>
  bind("gather", [x, indices], { axis: normalizeAxis("gather", axis, x.rank) });

/** The transpose of `gather`: sums `updates` into `size` slots along `axis` by `indices`. */
export const scatterAdd = (updates: Tensor, indices: Tensor, axis: number, size: number): Tensor =>
  // axis counts in the output, whose rank is updates.rank − indices.rank + 1
  bind("scatterAdd", [updates, indices], {
    axis: normalizeAxis("scatterAdd", axis, updates.rank - indices.rank + 1),
    size,
  });
