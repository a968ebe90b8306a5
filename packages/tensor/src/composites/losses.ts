import { DTypeError, ShapeError, showShape } from "../core/errors.js";
import { fused } from "../core/fused.js";
import type { Tensor } from "../core/tensor.js";
import { arange } from "../ops/creation.js";
import { cast, div, equal, maximum, mul, neg, notEqual, where } from "../ops/elementwise.js";
import { reshape } from "../ops/movement.js";
import { sum } from "../ops/reduction.js";
import { logSoftmax } from "./reductions.js";

export interface CrossEntropyOptions {
  /** Targets equal to this are skipped (PyTorch's default, -100). */
  readonly ignoreIndex?: number;
  /** "mean" over non-ignored targets (default), or "sum". */
  readonly reduction?: "mean" | "sum";
}

/**
 * Cross-entropy of `logits` [..., V] against int32 `targets` [...], as PyTorch's F.cross_entropy:
 * mean negative log-likelihood over targets ≠ ignoreIndex. When every target is ignored the mean is 0
 * (PyTorch gives NaN; a batch without masked tokens must not poison a training run).
 *
 * The target's log-probability is picked with a one-hot mask (an O(N·V) select) rather than a gather:
 * its transpose is then a select too, instead of a scatter.
 */
export const crossEntropy = (
  logits: Tensor,
  targets: Tensor,
  { ignoreIndex = -100, reduction = "mean" }: CrossEntropyOptions = {},
): Tensor => {
  if (targets.dtype !== "int32")
    throw new DTypeError("crossEntropy", `targets must be int32, got ${targets.dtype}`);
  const v = logits.shape[logits.rank - 1]!;
  const lead = logits.shape.slice(0, -1);
  if (lead.length !== targets.rank || lead.some((d, i) => d !== targets.shape[i])) {
    throw new ShapeError(
      "crossEntropy",
      `logits ${showShape(logits.shape)} need targets of shape ${showShape(lead)}, got ${showShape(targets.shape)}`,
    );
  }
  if (reduction === "mean" && logits.rank >= 1) {
    const flatLogits = reshape(logits, [-1, v]);
    const flatTargets = reshape(targets, [-1]);
    return fused(
      "crossEntropy",
      [flatLogits, flatTargets],
      { ignoreIndex },
      { shape: [], dtype: "float32" },
      () => crossEntropyDecomposition(logits, targets, ignoreIndex, reduction),
    );
  }
  return crossEntropyDecomposition(logits, targets, ignoreIndex, reduction);
};

const crossEntropyDecomposition = (
  logits: Tensor,
  targets: Tensor,
  ignoreIndex: number,
  reduction: "mean" | "sum",
): Tensor => {
  const v = logits.shape[logits.rank - 1]!;
  const logp = logSoftmax(logits, -1);
  const t = reshape(targets, [...targets.shape, 1]);
  const onehot = equal(arange(v), t); // [..., V] bool; never true for ignoreIndex (out of range)
  const picked = sum(where(onehot, logp, 0), -1); // [...]
  const valid = cast(notEqual(targets, ignoreIndex), "float32");
  const total = neg(sum(mul(picked, valid)));
  if (reduction === "sum") return total;
  return div(total, maximum(sum(valid), 1));
};
