import { fused } from "../core/fused.js";
import type { Tensor } from "../core/tensor.js";
import { add, mul, rsqrt, sub } from "../ops/elementwise.js";
import { mean, variance } from "./reductions.js";

/**
 * Layer normalisation over the last dim: (x − mean) / √(var + eps) · weight + bias, with the biased
 * variance (as PyTorch's nn.LayerNorm).
 */
export const layerNorm = (x: Tensor, weight: Tensor | null, bias: Tensor | null, eps = 1e-5): Tensor =>
  weight && bias
    ? fused("layerNorm", [x, weight, bias], { eps }, x, () => layerNormDecomposition(x, weight, bias, eps))
    : layerNormDecomposition(x, weight, bias, eps);

const layerNormDecomposition = (
  x: Tensor,
  weight: Tensor | null,
  bias: Tensor | null,
  eps: number,
): Tensor => {
  const mu = mean(x, -1, true);
  const inv = rsqrt(add(variance(x, -1, true), eps));
  let y = mul(sub(x, mu), inv);
  if (weight) y = mul(y, weight);
  if (bias) y = add(y, bias);
  return y;
};
