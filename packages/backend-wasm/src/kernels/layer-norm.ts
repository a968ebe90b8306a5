import { splitRange, threadsFor } from "../runtime/split.js";
import { checkSizes, checkSpan, type KernelContext, runChunks } from "./context.js";

const MIN_PER_THREAD = 1 << 15;

/** Arguments of {@link layerNorm}: x, y are [rows, cols]; gamma, beta [cols]; mean, rstd [rows] outputs. */
export interface LayerNormArgs {
  readonly x: number;
  readonly gamma: number;
  readonly beta: number;
  readonly y: number;
  readonly mean: number;
  readonly rstd: number;
  readonly rows: number;
  readonly cols: number;
  /** Added to the variance (default 1e-5, PyTorch's). */
  readonly eps?: number;
}

/**
 * LayerNorm over the last axis, saving per-row mean and 1/std for the backward pass:
 * `y = (x - mean) / sqrt(var + eps) * gamma + beta` (biased variance).
 *
 * @example
 * rt.layerNorm({ x, gamma, beta, y, mean, rstd, rows: B * T, cols: C });
 */
export function layerNorm(ctx: KernelContext, args: LayerNormArgs): void {
  const { x, gamma, beta, y, mean, rstd, rows, cols } = args;
  const eps = args.eps ?? 1e-5;
  checkSizes("layerNorm", { rows, cols });
  checkSpan(ctx, "layerNorm", "x", x, rows * cols * 4);
  checkSpan(ctx, "layerNorm", "y", y, rows * cols * 4);
  checkSpan(ctx, "layerNorm", "gamma", gamma, cols * 4);
  checkSpan(ctx, "layerNorm", "beta", beta, cols * 4);
  checkSpan(ctx, "layerNorm", "mean", mean, rows * 4);
  checkSpan(ctx, "layerNorm", "rstd", rstd, rows * 4);
  runChunks(ctx, "layerNorm", rows, { align: 1, minPerThread: MIN_PER_THREAD, unitCost: cols }, [
    x,
    gamma,
    beta,
    y,
    mean,
    rstd,
    cols,
    eps,
  ]);
}

/** Arguments of {@link layerNormBackward}: mean and rstd as saved by {@link layerNorm}. */
export interface LayerNormBackwardArgs {
  readonly x: number;
  readonly dy: number;
  readonly gamma: number;
  readonly mean: number;
  readonly rstd: number;
  /** Output [rows, cols] (overwritten). */
  readonly dx: number;
  /** Output [cols]: overwritten, or added into when `accumulate`. */
  readonly dgamma: number;
  /** Output [cols]: overwritten, or added into when `accumulate`. */
  readonly dbeta: number;
  readonly rows: number;
  readonly cols: number;
  /** Add dgamma/dbeta into the existing values instead of overwriting them. */
  readonly accumulate?: boolean;
}

/**
 * LayerNorm backward: with xhat = (x - mean) * rstd and g = dy * gamma,
 * `dx = rstd * (g - mean(g) - xhat * mean(g * xhat))`, `dgamma = sum_rows dy * xhat`,
 * `dbeta = sum_rows dy`. Threads split the rows; each sums dgamma/dbeta into its own partial
 * buffer, and the partials are added afterwards (no races, deterministic for a given thread count).
 *
 * @example
 * rt.layerNormBackward({ x, dy, gamma, mean, rstd, dx, dgamma, dbeta, rows: B * T, cols: C });
 */
export function layerNormBackward(ctx: KernelContext, args: LayerNormBackwardArgs): void {
  const { x, dy, gamma, mean, rstd, dx, dgamma, dbeta, rows, cols } = args;
  checkSizes("layerNormBackward", { rows, cols });
  for (const [name, ptr] of [
    ["x", x],
    ["dy", dy],
    ["dx", dx],
  ] as const) {
    checkSpan(ctx, "layerNormBackward", name, ptr, rows * cols * 4);
  }
  for (const [name, ptr] of [
    ["gamma", gamma],
    ["dgamma", dgamma],
    ["dbeta", dbeta],
  ] as const) {
    checkSpan(ctx, "layerNormBackward", name, ptr, cols * 4);
  }
  checkSpan(ctx, "layerNormBackward", "mean", mean, rows * 4);
  checkSpan(ctx, "layerNormBackward", "rstd", rstd, rows * 4);
  if (cols === 0) return;
  const threads = ctx.forceParallel ? ctx.pool.size : threadsFor(rows * cols, MIN_PER_THREAD, ctx.pool.size);
  const ranges = splitRange(rows, threads);
  // Partial [dgamma | dbeta] buffers, one per thread, zeroed.
  const partials = ranges.map(() => ctx.heap.alloc(cols * 8));
  try {
    for (const p of partials) new Float32Array(ctx.memory.buffer, p, cols * 2).fill(0);
    ctx.pool.run(
      "layerNormBackward",
      ranges.map(([r0, r1], t) => [
        x,
        dy,
        gamma,
        mean,
        rstd,
        dx,
        partials[t]!,
        partials[t]! + cols * 4,
        cols,
        r0,
        r1,
      ]),
    );
    const outDgamma = new Float32Array(ctx.memory.buffer, dgamma, cols);
    const outDbeta = new Float32Array(ctx.memory.buffer, dbeta, cols);
    if (!args.accumulate) {
      outDgamma.fill(0);
      outDbeta.fill(0);
    }
    for (const p of partials) {
      ctx.exports.binary(0, dgamma, p, dgamma, 0, cols);
      ctx.exports.binary(0, dbeta, p + cols * 4, dbeta, 0, cols);
    }
  } finally {
    for (const p of partials) ctx.heap.free(p);
  }
}
