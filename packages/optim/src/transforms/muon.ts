import { add, mul, ShapeError, type Tensor, treeMap, zerosLike } from "@scratchgrad/tensor";
import { zipLeavesMany } from "../tree-utils.js";
import type { GradientTransformation } from "../types.js";
import { NEWTON_SCHULZ_COEFFICIENTS, newtonSchulz } from "./newton-schulz.js";

/** Muon's momentum buffers, shaped like the parameters, and the number of updates made. */
export interface MuonState {
  readonly count: number;
  /** The momentum buffer m (an exponential moving average of gradients). */
  readonly mu: unknown;
}

/**
 * How a weight matrix is stored: `"out-in"` is `nn.Linear`'s [out, in] (BERT, PyTorch), `"in-out"`
 * is GPT-2's Conv1D / a JAX Dense kernel [in, out]. Only the `"original"` scaling looks at it.
 */
export type MatrixLayout = "out-in" | "in-out";

/**
 * How the orthogonalised update is scaled, per matrix of fan-out `out` and fan-in `in`:
 * - `"original"`: `√max(1, out/in)` (Keller Jordan's Muon, `torch.optim.Muon`'s and optax's default).
 *   Learning rates are on Muon's own scale (0.02 in modded-nanogpt).
 * - `"matchRmsAdamW"`: `0.2·√max(out, in)` (Moonshot's Moonlight; `adjust_lr_fn="match_rms_adamw"`),
 *   which gives the update the RMS (≈ 0.2) of a typical AdamW update, so AdamW's learning rate and
 *   weight decay carry over.
 */
export type MuonScaling = "original" | "matchRmsAdamW";

/** Options of `scaleByMuon`. Defaults are `torch.optim.Muon`'s. */
export interface ScaleByMuonOptions {
  /** Momentum β of the buffer `m ← β·m + (1 − β)·g`; 0.95 by default. */
  readonly momentum?: number;
  /** Orthogonalise `(1 − β)·g + β·m` (Nesterov) instead of `m`; true by default. */
  readonly nesterov?: boolean;
  /** Newton–Schulz iterations; 5 by default. */
  readonly nsSteps?: number;
  /** Newton–Schulz quintic coefficients; (3.4445, −4.7750, 2.0315) by default. */
  readonly nsCoefficients?: readonly [number, number, number];
  /** Added to the Frobenius norm before Newton–Schulz divides by it; 1e-7 by default. */
  readonly eps?: number;
  /** See `MuonScaling`; `"original"` by default. */
  readonly scaling?: MuonScaling;
  /**
   * The storage layout of each matrix (a fixed one or one per parameter path): `"out-in"` by default.
   * Pass `"in-out"` (or `huggingFaceLayout`) for GPT-2's Conv1D weights.
   */
  readonly layout?: MatrixLayout | ((path: string, param: Tensor) => MatrixLayout);
}

/** The factor the orthogonalised update of a [rows, cols] matrix is multiplied by. */
export const muonScale = (
  shape: readonly number[],
  scaling: MuonScaling = "original",
  layout: MatrixLayout = "out-in",
): number => {
  const [rows, cols] = [shape[0]!, shape[1]!];
  if (scaling === "matchRmsAdamW") return 0.2 * Math.sqrt(Math.max(rows, cols));
  const [fanOut, fanIn] = layout === "out-in" ? [rows, cols] : [cols, rows];
  return Math.sqrt(Math.max(1, fanOut / fanIn));
};

/**
 * Muon's direction, without the learning rate: for each matrix with gradient g, at update t,
 *
 *   m ← β·m + (1 − β)·g
 *   u = (1 − β)·g + β·m  (Nesterov)   or   u = m
 *   update = newtonSchulz(u) · scale(shape)
 *
 * which is Keller Jordan's `muon_update` (github.com/KellerJordan/Muon) and `torch.optim.Muon` with
 * `lr = 1`. Every leaf must be a matrix: route vectors, embeddings and heads to another transformation
 * with `multiTransform` (or use `muonWithAdamW`).
 * @example
 * const opt = chain(scaleByMuon(), scaleByLearningRate(0.02));
 */
export const scaleByMuon = ({
  momentum: beta = 0.95,
  nesterov = true,
  nsSteps = 5,
  nsCoefficients = NEWTON_SCHULZ_COEFFICIENTS,
  eps = 1e-7,
  scaling = "original",
  layout = "out-in",
}: ScaleByMuonOptions = {}): GradientTransformation<MuonState> => ({
  init: (params) => ({ count: 0, mu: treeMap(params, zerosLike) }),
  update: (updates, state) => {
    const [out, mu] = zipLeavesMany([updates, state.mu], 2, ([g, m], path) => {
      if (g!.rank !== 2) {
        throw new ShapeError(
          "scaleByMuon",
          `parameter "${path}" has shape [${g!.shape.join(", ")}]; Muon updates matrices only: route it to AdamW with multiTransform (muonWithAdamW does this for GPT-2 and BERT)`,
        );
      }
      const m1 = add(mul(m!, beta), mul(g!, 1 - beta));
      const u = nesterov ? add(mul(g!, 1 - beta), mul(m1, beta)) : m1;
      const o = newtonSchulz(u, { steps: nsSteps, coefficients: nsCoefficients, eps });
      const matrixLayout = typeof layout === "function" ? layout(path, g!) : layout;
      return [mul(o, muonScale(g!.shape, scaling, matrixLayout)), m1];
    });
    return [out, { count: state.count + 1, mu }] as const;
  },
  hyperparameters: {
    name: "scaleByMuon",
    momentum: beta,
    nesterov,
    nsSteps,
    nsCoefficients: [...nsCoefficients],
    eps,
    scaling,
    layout: typeof layout === "function" ? "per-parameter" : layout,
  },
});
