/**
 * Affine maps in the two layouts Hugging Face checkpoints use, so weights are stored exactly as the
 * checkpoint holds them and never transposed or copied:
 * - `"in-out"`: GPT-2's Conv1D, weight [in, out], y = x·W + b;
 * - `"out-in"`: PyTorch nn.Linear (BERT), weight [out, in], y = x·Wᵀ + b, read transposed in place by
 *   `matmul(x, w, { transB: true })`.
 */

import type { random } from "@scratchgrad/tensor";
import { add, matmul, type Tensor } from "@scratchgrad/tensor";
import { initFromSpec, normalParam, type ParamSpec, zerosParam } from "../params/spec.js";

/** Where the input dimension sits in the weight: first (Conv1D) or last (nn.Linear). */
export type LinearLayout = "in-out" | "out-in";

/** Sizes, layout and init of a linear layer. @example { inFeatures: 768, outFeatures: 3072, layout: "in-out" } */
export interface LinearConfig {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly layout: LinearLayout;
  /** Learn a bias (default true). */
  readonly bias?: boolean;
  /** Standard deviation of the normal weight init (default 0.02, HF's `initializer_range`). */
  readonly std?: number;
}

/** `{ weight, bias }` with weight in the configured layout. */
export interface LinearParams {
  readonly weight: Tensor;
  readonly bias?: Tensor;
}

/** The parameter spec of a linear layer (see `params/spec.ts`). */
export interface LinearSpec {
  readonly weight: ParamSpec;
  readonly bias?: ParamSpec;
}

const spec = ({ inFeatures, outFeatures, layout, bias = true, std = 0.02 }: LinearConfig): LinearSpec => {
  const shape = layout === "in-out" ? [inFeatures, outFeatures] : [outFeatures, inFeatures];
  return bias
    ? { weight: normalParam(shape, std), bias: zerosParam([outFeatures]) }
    : { weight: normalParam(shape, std) };
};

/**
 * A linear layer: `spec`/`init` build `{ weight, bias }`, `apply` maps [..., in] → [..., out].
 * @example
 * const p = linear.init(random.key(0), { inFeatures: 768, outFeatures: 2304, layout: "in-out" });
 * const qkv = linear.apply(p, x, "in-out"); // [B, T, 2304]
 */
export const linear = {
  spec,
  init: (key: random.Key, config: LinearConfig): LinearParams => initFromSpec(key, spec(config)),
  apply: (params: LinearParams, x: Tensor, layout: LinearLayout): Tensor => {
    const y = matmul(x, params.weight, { transB: layout === "out-in" });
    return params.bias ? add(y, params.bias) : y;
  },
} as const;
