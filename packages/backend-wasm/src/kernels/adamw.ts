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
}

/**
 * One fused AdamW step, `torch.optim.AdamW` semantics: `p *= 1 - lr*wd`, moments updated with
 * `g = gradScale * grad`, then `p -= lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps)` with
 * `bc1 = 1 - beta1^step`, `bc2 = 1 - beta2^step`.
 *
 * @example
 * rt.adamw({ param, grad, m, v, n: nParams, lr: 6e-4, step: 1, weightDecay: 0.1 });
 */
export function adamw(ctx: KernelContext, args: AdamWArgs): void {
  const { param, grad, m, v, n, lr, step } = args;
  const beta1 = args.beta1 ?? 0.9;
  const beta2 = args.beta2 ?? 0.999;
  const eps = args.eps ?? 1e-8;
  const weightDecay = args.weightDecay ?? 0.01;
  const gradScale = args.gradScale ?? 1;
  checkSizes("adamw", { n });
  if (!Number.isInteger(step) || step < 1) {
    throw new Error(`backend-wasm adamw: step must be an integer >= 1 (1 for the first update), got ${step}`);
  }
  for (const [name, ptr] of [
    ["param", param],
    ["grad", grad],
    ["m", m],
    ["v", v],
  ] as const) {
    checkSpan(ctx, "adamw", name, ptr, n * 4);
  }
  const bc1 = 1 - beta1 ** step;
  const bc2 = 1 - beta2 ** step;
  runChunks(ctx, "adamw", n, SPLIT, [
    param,
    grad,
    m,
    v,
    lr,
    beta1,
    beta2,
    eps,
    weightDecay,
    bc1,
    bc2,
    gradScale,
  ]);
}
