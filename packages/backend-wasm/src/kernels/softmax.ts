import { checkSizes, checkSpan, type KernelContext, runChunks } from "./context.js";

const MIN_PER_THREAD = 1 << 15; // elements: below ~30 µs of work a worker wake-up does not pay

/** Arguments of {@link softmaxRows}: contiguous rows of `cols` floats; `y` may equal `x`. */
export interface SoftmaxArgs {
  readonly x: number;
  readonly y: number;
  readonly rows: number;
  readonly cols: number;
}

/**
 * Row softmax: `y[r] = exp(x[r] - max x[r]) / sum exp(x[r] - max x[r])`.
 *
 * @example
 * rt.softmaxRows({ x: scores, y: probs, rows: B * H * T, cols: T });
 */
export function softmaxRows(ctx: KernelContext, args: SoftmaxArgs): void {
  const { x, y, rows, cols } = args;
  checkSizes("softmaxRows", { rows, cols });
  checkSpan(ctx, "softmaxRows", "x", x, rows * cols * 4);
  checkSpan(ctx, "softmaxRows", "y", y, rows * cols * 4);
  runChunks(ctx, "softmaxRows", rows, { align: 1, minPerThread: MIN_PER_THREAD, unitCost: cols }, [
    x,
    y,
    cols,
  ]);
}

/** Arguments of {@link softmaxRowsBackward}: `y` is the forward output; `dx` may equal `dy`. */
export interface SoftmaxBackwardArgs {
  readonly y: number;
  readonly dy: number;
  readonly dx: number;
  readonly rows: number;
  readonly cols: number;
}

/**
 * Softmax vector-Jacobian product: `dx = y * (dy - sum(dy * y))` per row.
 *
 * @example
 * rt.softmaxRowsBackward({ y: probs, dy: dProbs, dx: dScores, rows, cols });
 */
export function softmaxRowsBackward(ctx: KernelContext, args: SoftmaxBackwardArgs): void {
  const { y, dy, dx, rows, cols } = args;
  checkSizes("softmaxRowsBackward", { rows, cols });
  for (const [name, ptr] of [
    ["y", y],
    ["dy", dy],
    ["dx", dx],
  ] as const) {
    checkSpan(ctx, "softmaxRowsBackward", name, ptr, rows * cols * 4);
  }
  runChunks(ctx, "softmaxRowsBackward", rows, { align: 1, minPerThread: MIN_PER_THREAD, unitCost: cols }, [
    y,
    dy,
    dx,
    cols,
  ]);
}
