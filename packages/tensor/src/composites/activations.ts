import { fused } from "../core/fused.js";
import type { Tensor } from "../core/tensor.js";
import { add, erf, maximum, mul, tanh } from "../ops/elementwise.js";

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * GELU. `approximate: "tanh"` is GPT-2's `gelu_new` (PyTorch `approximate="tanh"`):
 * ½x(1 + tanh(√(2/π)(x + 0.044715x³))); `"none"` is the exact erf form BERT uses: ½x(1 + erf(x/√2)).
 */
export const gelu = (x: Tensor, approximate: "tanh" | "none" = "none"): Tensor =>
  fused("gelu", [x], { approximate }, x, () => geluDecomposition(x, approximate));

const geluDecomposition = (x: Tensor, approximate: "tanh" | "none"): Tensor => {
  if (approximate === "tanh") {
    const inner = mul(add(x, mul(mul(mul(x, x), x), 0.044715)), SQRT_2_OVER_PI);
    return mul(mul(x, 0.5), add(tanh(inner), 1));
  }
  return mul(mul(x, 0.5), add(erf(mul(x, Math.SQRT1_2)), 1));
};

/** max(x, 0). */
export const relu = (x: Tensor): Tensor => maximum(x, 0);
