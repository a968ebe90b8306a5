import { checkSizes, checkSpan, type KernelContext } from "./context.js";

/** Below this many multiply-adds a call stays on the calling thread (a wake-up costs ~20–50 µs). */
const PARALLEL_MIN_MACS = 1 << 19;

/**
 * Arguments of {@link attentionForward}: self-attention of `heads` heads of size `headDim` over
 * sequences of `seq` positions. q, k, v and o are [batch, seq, heads·headDim] (head h in columns
 * [h·headDim, (h+1)·headDim), the projections' own layout).
 */
export interface AttentionArgs {
  readonly q: number;
  readonly k: number;
  readonly v: number;
  readonly o: number;
  /** [batch·heads·seq, 2] floats: each query row's max score and 1/sum of exps, for the backward pass. */
  readonly stats: number;
  readonly batch: number;
  readonly seq: number;
  readonly heads: number;
  readonly headDim: number;
  /** Multiplies q·kᵀ (usually 1/√headDim). */
  readonly scale: number;
  /** Query i attends to keys 0..i only (GPT-2). */
  readonly causal: boolean;
  /** Additive key mask [batch, seq] (0 or a large negative value per key: padding); 0 = none. */
  readonly mask?: number;
  /** Dropout multiplier [batch, heads, seq, seq] (0 or 1/(1 − p)) applied to the probabilities; 0 = none. */
  readonly drop?: number;
}

/** Arguments of {@link attentionBackward}: the forward's inputs, o and stats, and the cotangent of o. */
export interface AttentionBackwardArgs extends AttentionArgs {
  readonly dout: number;
  readonly dq: number;
  readonly dk: number;
  readonly dv: number;
}

/**
 * Floats of per-thread scratch (the backward's, the larger): K and V packed as columns, K packed as
 * rows (D rounded up to 8), the dK and dV accumulators, two [4][Tp] strips, δ [Tp], a 4x8 edge tile.
 */
const scratchFloats = (seq: number, headDim: number): number => {
  const tp = Math.ceil(seq / 8) * 8;
  return 4 * headDim * tp + Math.ceil(headDim / 8) * 8 * tp + 9 * tp + 32;
};

const validate = (
  ctx: KernelContext,
  kernel: string,
  args: AttentionArgs,
  tensors: Record<string, number>,
) => {
  const { batch, seq, heads, headDim } = args;
  checkSizes(kernel, { batch, seq, heads, headDim });
  if (headDim % 4 !== 0) {
    throw new Error(`backend-wasm ${kernel}: headDim must be a multiple of 4, got ${headDim}`);
  }
  const bytes = batch * seq * heads * headDim * 4;
  for (const [name, ptr] of Object.entries(tensors)) checkSpan(ctx, kernel, name, ptr, bytes);
  checkSpan(ctx, kernel, "stats", args.stats, batch * heads * seq * 8);
  if (args.mask) checkSpan(ctx, kernel, "mask", args.mask, batch * seq * 4);
  if (args.drop) checkSpan(ctx, kernel, "drop", args.drop, batch * heads * seq * seq * 4);
};

/**
 * Runs `kernel` over the batch·heads units, claimed through an atomic counter by as many threads as
 * the work justifies, each with scratch of its own for this call.
 */
const runUnits = (
  ctx: KernelContext,
  kernel: "attentionForward" | "attentionBackward",
  args: AttentionArgs,
  fixed: number[],
): void => {
  const units = args.batch * args.heads;
  if (units === 0 || args.seq === 0) return;
  const macs = units * args.seq * args.seq * args.headDim;
  const threads = Math.min(units, ctx.forceParallel || macs >= PARALLEL_MIN_MACS ? ctx.pool.size : 1);
  const bytes = scratchFloats(args.seq, args.headDim) * 4;
  const scratch = Array.from({ length: threads }, () => ctx.heap.alloc(bytes));
  const counter = ctx.results + ctx.pool.size * 64;
  Atomics.store(new Int32Array(ctx.memory.buffer, counter, 1), 0, 0);
  try {
    ctx.pool.run(
      kernel,
      scratch.map((s) => [counter, units, ...fixed, s]),
    );
  } finally {
    for (const s of scratch) ctx.heap.free(s);
  }
};

/** The leading kernel arguments of both passes: heads, T, C (= heads·D), D, then q, k, v, o. */
const headArgs = (args: AttentionArgs): number[] => [
  args.heads,
  args.seq,
  args.heads * args.headDim,
  args.headDim,
  args.q,
  args.k,
  args.v,
  args.o,
];

/**
 * Fused multi-head self-attention: `o = softmax(q·kᵀ·scale + mask)·v` per head, with the causal
 * mask and dropout multiplier when given, without materialising the [B, H, T, T] probabilities.
 *
 * @example
 * rt.attentionForward({ q, k, v, o, stats, batch: 8, seq: 128, heads: 4, headDim: 32, scale: 1 / Math.sqrt(32), causal: true });
 */
export function attentionForward(ctx: KernelContext, args: AttentionArgs): void {
  validate(ctx, "attentionForward", args, { q: args.q, k: args.k, v: args.v, o: args.o });
  runUnits(ctx, "attentionForward", args, [
    ...headArgs(args),
    args.mask ?? 0,
    args.drop ?? 0,
    args.stats,
    args.scale,
    +args.causal,
  ]);
}

/**
 * Gradients of {@link attentionForward}: dq, dk, dv from `dout`, recomputing the probabilities from
 * the saved row statistics (flash-attention's backward pass).
 *
 * @example
 * rt.attentionBackward({ ...forwardArgs, dout, dq, dk, dv });
 */
export function attentionBackward(ctx: KernelContext, args: AttentionBackwardArgs): void {
  validate(ctx, "attentionBackward", args, {
    q: args.q,
    k: args.k,
    v: args.v,
    o: args.o,
    dout: args.dout,
    dq: args.dq,
    dk: args.dk,
    dv: args.dv,
  });
  runUnits(ctx, "attentionBackward", args, [
    ...headArgs(args),
    args.dout,
    args.mask ?? 0,
    args.drop ?? 0,
    args.stats,
    args.dq,
    args.dk,
    args.dv,
    args.scale,
    +args.causal,
  ]);
}
