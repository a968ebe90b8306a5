import { matmul } from "../ops/matmul.js";
import { reshape } from "../ops/movement.js";
import type { VjpRule } from "./primitive.js";

// C = op(A)·op(B):  d op(A) = G·op(B)ᵀ,  d op(B) = op(A)ᵀ·G;  transposed operands transpose back.
export const matmulVjp: VjpRule<"matmul"> = (g, [a, b], _out, { transA, transB }) => {
  const da = transA ? matmul(b!, g, { transA: transB, transB: true }) : matmul(g, b!, { transB: !transB });
  if (b!.rank === 2 && a!.rank > 2 && !transA) {
    // A weight shared across the batch (a Linear layer): fold the batch into the contraction,
    // dB = A₂ᵀ·G₂ with A₂ = [B·M, K], G₂ = [B·M, N] — one product instead of B products and a sum.
    const a2 = reshape(a!, [-1, a!.shape[a!.rank - 1]!]);
    const g2 = reshape(g, [-1, g.shape[g.rank - 1]!]);
    return [da, transB ? matmul(g2, a2, { transA: true }) : matmul(a2, g2, { transA: true })];
  }
  const db = transB ? matmul(g, a!, { transA: true, transB: transA }) : matmul(a!, g, { transA: !transA });
  return [da, db];
};
