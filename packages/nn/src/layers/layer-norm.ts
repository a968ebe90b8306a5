/** Layer normalisation with a learned scale and shift (weight 1, bias 0 at init, as PyTorch). */
import { layerNorm as layerNormOp, type random, type Tensor } from "@scratchgrad/tensor";
import { initFromSpec, onesParam, type ParamSpec, zerosParam } from "../params/spec.js";

/** `{ weight: [dim], bias: [dim] }`. */
export interface LayerNormParams {
  readonly weight: Tensor;
  readonly bias: Tensor;
}

const spec = (dim: number): { weight: ParamSpec; bias: ParamSpec } => ({
  weight: onesParam([dim]),
  bias: zerosParam([dim]),
});

/**
 * LayerNorm over the last dimension.
 * @example
 * const ln = layerNorm.init(random.key(0), 768);
 * const y = layerNorm.apply(ln, x, 1e-5); // [B, T, 768]
 */
export const layerNorm = {
  spec,
  init: (key: random.Key, dim: number): LayerNormParams => initFromSpec(key, spec(dim)),
  apply: (params: LayerNormParams, x: Tensor, eps: number): Tensor =>
    layerNormOp(x, params.weight, params.bias, eps),
} as const;
