import { bind } from "../core/bind.js";
import type { Tensor } from "../core/tensor.js";
import { reshape } from "./movement.js";

export interface MatmulOptions {
  /** Use aᵀ (its last two dims swapped). */
  readonly transA?: boolean;
  /** Use bᵀ. */
  readonly transB?: boolean;
}

/**
 * Matrix product with NumPy semantics: batch dims broadcast, a 1-D operand is a vector. Transposed
 * operands are read in place, never copied.
 * @example
 * matmul(x, w)                      // [B, T, C] · [C, D] → [B, T, D]
 * matmul(q, k, { transB: true })    // [B, H, T, D] · [B, H, T, D]ᵀ → [B, H, T, T]
 */
export const matmul = (
  a: Tensor,
  b: Tensor,
  { transA = false, transB = false }: MatmulOptions = {},
): Tensor => {
  const av = a.rank === 1;
  const bv = b.rank === 1;
  const a2 = av ? reshape(a, [1, a.size]) : a;
  const b2 = bv ? reshape(b, [b.size, 1]) : b;
  const c = bind("matmul", [a2, b2], { transA: av ? false : transA, transB: bv ? false : transB });
  if (!av && !bv) return c;
  const s = c.shape;
  const drop = s.filter((_, i) => !((av && i === s.length - 2) || (bv && i === s.length - 1)));
  return reshape(c, drop);
};
