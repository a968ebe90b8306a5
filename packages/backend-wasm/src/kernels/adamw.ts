import { checkSizes, checkSpan, type KernelContext, runChunks } from "./context.js";

const SPLIT = { align: 16, minPerThread: 1 << 15 };

/** Arguments of {@link adamw}: param, grad, m, v are `n` floats each (m, v start at zero). */
export interface AdamWArgs {
  readonly param: number;
  readonly grad: number;
  readonly m: number;
  readonly v: number;
  readonly n: number;
  readonly lr: number;
  /** 1-based step count, for bias correction. */
  readonly step: number;
  /** Default 0.9. */
  readonly beta1?: number;
  /** Default 0.999. */
  readonly beta2?: number;
  /** Default 1e-8. */
  readonly eps?: number;
  /** Decoupled weight decay (default 0.01, PyTorch's AdamW default). */
  readonly weightDecay?: number;
  /** Multiplies the gradient first (global-norm clipping); default 1. */
  readonly gradScale?: number;
  /**
   * Where the results go (default: in place, over param, m, v). Each output is its own input or a
   * buffer of `n` floats that overlaps no input.
   */
  readonly paramOut?: number;
  readonly mOut?: number;
  readonly vOut?: number;
  /**
   * Write the update `p_next − p = −lr·wd·p − lr/bc1·m/(√v/√bc2 + eps)` to `paramOut` instead of the
   * next parameter (optimizers that return updates, like `@scratchgrad/optim`'s). Default false.
   */
  readonly writeUpdate?: boolean;
}

/**
 * One fused AdamW step, `torch.optim.AdamW` semantics: `p *= 1 - lr*wd`, moments updated with
 * `g = gradScale * grad`, then `p -= lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps)` with
 * `bc1 = 1 - beta1^step`, `bc2 = 1 - beta2^step`. In place unless `paramOut`/`mOut`/`vOut` are given.
 *
 * @example
 * rt.adamw({ param, grad, m, v, n: nParams, lr: 6e-4, step: 1, weightDecay: 0.1 });
 * // functional: fresh outputs, the update instead of the new parameter
 * rt.adamw({ param, grad, m, v, n, lr, step, paramOut: u, mOut: m1, vOut: v1, writeUpdate: true });
 */
export function adamw(ctx: KernelContext, args: AdamWArgs): void {
  const { param, grad, m, v, n, lr, step } = args;
  const beta1 = args.beta1 ?? 0.9;
  const beta2 = args.beta2 ?? 0.999;
  const eps = args.eps ?? 1e-8;
  const weightDecay = args.weightDecay ?? 0.01;
  const gradScale = args.gradScale ?? 1;
  const { paramOut = param, mOut = m, vOut = v } = args;
  checkSizes("adamw", { n });
  if (!Number.isInteger(step) || step < 1) {
    throw new Error(`backend-wasm adamw: step must be an integer >= 1 (1 for the first update), got ${step}`);
  }
  for (const [name, ptr] of [
    ["param", param],
    ["grad", grad],
    ["m", m],
    ["v", v],
    ["paramOut", paramOut],
    ["mOut", mOut],
    ["vOut", vOut],
  ] as const) {
    checkSpan(ctx, "adamw", name, ptr, n * 4);
  }
  // Scalars in float64 here: 1 − β2 formed from a float32 β2 is off by 1e-5 relative at 0.999, 1e-3 at 0.99999.
  const bc1 = 1 - beta1 ** step;
  const bc2 = 1 - beta2 ** step;
  runChunks(ctx, "adamw", n, SPLIT, [
    param,
    grad,
    m,
    v,
    paramOut,
    mOut,
    vOut,
    beta1,
    1 - beta1,
    beta2,
    1 - beta2,
    eps,
    (args.writeUpdate ? 0 : 1) - lr * weightDecay,
    lr / bc1,
    1 / Math.sqrt(bc2),
    gradScale,
  ]);
}
