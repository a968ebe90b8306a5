import {
  add,
  div,
  matmul,
  mul,
  ShapeError,
  scope,
  sqrt,
  square,
  sum,
  type Tensor,
} from "@scratchgrad/tensor";

/** Options of `newtonSchulz`. Defaults are Keller Jordan's (Muon, modded-nanogpt) and `torch.optim.Muon`'s. */
export interface NewtonSchulzOptions {
  /** Iterations of the quintic; 5 by default. */
  readonly steps?: number;
  /** (a, b, c) of p(x) = a·x + b·x³ + c·x⁵; (3.4445, −4.7750, 2.0315) by default. */
  readonly coefficients?: readonly [number, number, number];
  /** Added to the Frobenius norm before dividing by it, so a zero matrix stays zero. 1e-7 by default. */
  readonly eps?: number;
}

/** Keller Jordan's quintic: the largest slope at zero (a) that still keeps every singular value in a band around 1. */
export const NEWTON_SCHULZ_COEFFICIENTS: readonly [number, number, number] = [3.4445, -4.775, 2.0315];

/**
 * Approximately orthogonalises a matrix: for G = U·Σ·Vᵀ it returns U·f(Σ/‖G‖_F)·Vᵀ, where f applies
 * `steps` times the odd quintic p(σ) = a·σ + b·σ³ + c·σ⁵ to each singular value. Dividing by the
 * Frobenius norm first puts every σ in [0, 1]; Keller Jordan's coefficients push them fast towards 1
 * without converging exactly: after 5 steps every singular value σ ≥ 0.0052·‖G‖_F lands in
 * [0.682, 1.135] (those between 0.0015 and 0.0052 overshoot up to 1.203; smaller ones grow by a⁵ ≈ 488
 * and stay below 0.68). So the result is close to the polar factor U·Vᵀ, cheaply, with GEMMs only.
 *
 * One step on X (rows ≤ cols): A = X·Xᵀ, B = b·A + c·A·A, X ← a·X + B·X. A tall matrix iterates on
 * its transpose (so A is the smaller Gram matrix), written here with transposed GEMM operands
 * (A = XᵀX, X ← a·X + X·Bᵀ) instead of copies. Every product is `matmul`, so it runs on the active
 * backend's GEMM (the wasm kernel when that backend is selected).
 * @example
 * const o = newtonSchulz(grad); // [m, n], singular values ≈ 1
 */
export const newtonSchulz = (
  g: Tensor,
  { steps = 5, coefficients = NEWTON_SCHULZ_COEFFICIENTS, eps = 1e-7 }: NewtonSchulzOptions = {},
): Tensor => {
  if (g.rank !== 2) {
    throw new ShapeError(
      "newtonSchulz",
      `expected a matrix [rows, cols], got shape [${g.shape.join(", ")}]; reshape the update to 2-D first`,
    );
  }
  const [a, b, c] = coefficients;
  const tall = g.shape[0]! > g.shape[1]!;
  return scope(() => {
    // ‖X‖₂ ≤ ‖X‖_F, so after this every singular value is at most 1.
    let x = div(g, add(sqrt(sum(square(g))), eps));
    for (let i = 0; i < steps; i++) {
      const current = x;
      x = scope(() => {
        const gram = tall
          ? matmul(current, current, { transA: true })
          : matmul(current, current, { transB: true });
        const poly = add(mul(gram, b), mul(matmul(gram, gram), c)); // b·A + c·A²
        const step = tall ? matmul(current, poly, { transB: true }) : matmul(poly, current);
        return add(mul(current, a), step);
      });
    }
    return x;
  });
};
