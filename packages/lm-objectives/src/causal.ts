import { concat, crossEntropy, full, reshape, sliceAxis, type Tensor } from "@scratchgrad/tensor";

/** PyTorch's (and Hugging Face's) label for positions that do not count. */
export const IGNORE_INDEX = -100;

/**
 * Labels shifted one step left: position t is trained to predict token t + 1, and the last position
 * has no target (IGNORE_INDEX). Shifting the int32 labels instead of slicing the [B, T, V] logits keeps
 * the logits contiguous (no copy of the largest tensor of the step).
 * @example shiftLabels(tensor(new Int32Array([5, 6, 7]), [1, 3])) // [[6, 7, -100]]
 */
export const shiftLabels = (labels: Tensor): Tensor => {
  const [b, t] = labels.shape as [number, number];
  if (t === 0) return labels;
  return concat([sliceAxis(labels, 1, 1, t), full([b, 1], IGNORE_INDEX, "int32")], 1);
};

/**
 * Hugging Face's causal-LM loss: mean cross-entropy of logits [B, T, V] at position t against
 * labels[t + 1] over the labels that are not IGNORE_INDEX. Labels are usually the input ids themselves.
 * @example causalLmLoss(model.apply(params, ids, ctx), ids)
 */
export const causalLmLoss = (logits: Tensor, labels: Tensor): Tensor => {
  if (labels.rank !== 2 || logits.rank !== 3) {
    throw new Error(
      `causalLmLoss: expected logits [B, T, V] and labels [B, T], got [${logits.shape.join(", ")}] and [${labels.shape.join(", ")}]`,
    );
  }
  const v = logits.shape[2]!;
  return crossEntropy(reshape(logits, [-1, v]), reshape(shiftLabels(labels), [-1]), {
    ignoreIndex: IGNORE_INDEX,
  });
};
