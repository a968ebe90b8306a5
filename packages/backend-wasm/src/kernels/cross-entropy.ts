import { checkSizes, checkSpan, type KernelContext, runChunks, runSplit } from "./context.js";

const MIN_PER_THREAD = 1 << 15;

/** Target value of a row that takes no part in the loss (PyTorch's `ignore_index` default). */
export const IGNORE_INDEX = -100;

/** Arguments of {@link crossEntropy}: logits [rows, vocab] f32, targets [rows] i32. */
export interface CrossEntropyArgs {
  readonly logits: number;
  readonly targets: number;
  readonly rows: number;
  readonly vocab: number;
  /** Out: each row's logsumexp [rows] f32 (0 on ignored rows), which the backward pass reads. */
  readonly lse: number;
}

/** Loss summed over the rows that count, and how many rows counted (mean loss = lossSum / count). */
export interface CrossEntropyResult {
  readonly lossSum: number;
  readonly count: number;
}

function checkTargets(ctx: KernelContext, kernel: string, args: CrossEntropyArgs): void {
  const { logits, targets, rows, vocab, lse } = args;
  checkSizes(kernel, { rows, vocab });
  checkSpan(ctx, kernel, "logits", logits, rows * vocab * 4);
  checkSpan(ctx, kernel, "targets", targets, rows * 4);
  checkSpan(ctx, kernel, "lse", lse, rows * 4);
  const t = new Int32Array(ctx.memory.buffer, targets, rows);
  for (let r = 0; r < rows; r++) {
    const target = t[r]!;
    if (target !== IGNORE_INDEX && (target < 0 || target >= vocab)) {
      throw new Error(
        `backend-wasm ${kernel}: target ${target} at row ${r} is outside [0, ${vocab}); ` +
          `use ${IGNORE_INDEX} for rows to ignore`,
      );
    }
  }
}

/**
 * Cross-entropy of softmax(logits) against integer targets, row by row; rows whose target is -100
 * are skipped. The per-row loss is `logsumexp(x) - x[target]`, summed in f64; each row's logsumexp
 * goes to `lse` for {@link crossEntropyBackward}.
 *
 * @example
 * const { lossSum, count } = rt.crossEntropy({ logits, targets, rows: B * T, vocab: V, lse });
 * const meanLoss = lossSum / count;
 */
export function crossEntropy(ctx: KernelContext, args: CrossEntropyArgs): CrossEntropyResult {
  checkTargets(ctx, "crossEntropy", args);
  const { logits, targets, rows, vocab, lse } = args;
  let used = 0;
  runSplit(
    ctx,
    "crossEntropy",
    rows,
    { align: 1, minPerThread: MIN_PER_THREAD, unitCost: vocab },
    (r0, r1, t) => {
      used = t + 1;
      return [logits, targets, vocab, ctx.results + t * 64, lse, r0, r1];
    },
  );
  const f64 = new Float64Array(ctx.memory.buffer, ctx.results, used * 8);
  const i32 = new Int32Array(ctx.memory.buffer, ctx.results, used * 16);
  let lossSum = 0;
  let count = 0;
  for (let t = 0; t < used; t++) {
    lossSum += f64[t * 8]!;
    count += i32[t * 16 + 2]!;
  }
  return { lossSum, count };
}

/**
 * Arguments of {@link crossEntropyBackward}; `lse` is the forward pass's output for the same logits
 * and targets; `dlogits` may equal `logits`.
 */
export interface CrossEntropyBackwardArgs extends CrossEntropyArgs {
  readonly dlogits: number;
  /** Upstream gradient of each row's loss, e.g. `1 / count` for a mean loss. */
  readonly gradScale: number;
}

/**
 * Gradient of the summed loss scaled by `gradScale`: `dlogits = gradScale * (softmax(x) - onehot(t))`,
 * with `softmax(x) = exp(x - lse)` from the forward pass (one sweep over the logits); rows with
 * target -100 get zeros.
 *
 * @example
 * rt.crossEntropyBackward({ logits, targets, lse, dlogits, rows, vocab, gradScale: 1 / count });
 */
export function crossEntropyBackward(ctx: KernelContext, args: CrossEntropyBackwardArgs): void {
  checkTargets(ctx, "crossEntropyBackward", args);
  const { logits, targets, lse, dlogits, rows, vocab, gradScale } = args;
  checkSpan(ctx, "crossEntropyBackward", "dlogits", dlogits, rows * vocab * 4);
  runChunks(ctx, "crossEntropyBackward", rows, { align: 1, minPerThread: MIN_PER_THREAD, unitCost: vocab }, [
    logits,
    targets,
    lse,
    dlogits,
    vocab,
    gradScale,
  ]);
}
