import { checkSizes, checkSpan, type KernelContext, runChunks } from "./context.js";

// Memory-bound: only large arrays are worth a second thread.
const SPLIT = { align: 16, minPerThread: 1 << 16 };

/** Elementwise arithmetic operations. */
export type BinaryOp = "add" | "sub" | "mul" | "div";

// Codes understood by assembly/elementwise.ts; 4 and 5 are the operand-swapped sub and div.
const opCodes: Record<BinaryOp, number> = { add: 0, sub: 1, mul: 2, div: 3 };
const swappedCodes: Record<BinaryOp, number> = { add: 0, sub: 4, mul: 2, div: 5 };

function opCode(kernel: string, op: BinaryOp, swapped = false): number {
  const code = (swapped ? swappedCodes : opCodes)[op];
  if (code === undefined)
    throw new Error(`backend-wasm ${kernel}: unknown op "${op}"; use add, sub, mul or div`);
  return code;
}

/** Arguments of {@link binary}: same-length a, b and out (out may equal a or b). */
export interface BinaryArgs {
  readonly op: BinaryOp;
  readonly a: number;
  readonly b: number;
  readonly out: number;
  readonly n: number;
}

/**
 * `out[i] = a[i] op b[i]`.
 *
 * @example
 * rt.binary({ op: "add", a: x, b: residual, out: x, n });
 */
export function binary(ctx: KernelContext, args: BinaryArgs): void {
  const { a, b, out, n } = args;
  checkSizes("binary", { n });
  for (const [name, ptr] of [
    ["a", a],
    ["b", b],
    ["out", out],
  ] as const)
    checkSpan(ctx, "binary", name, ptr, n * 4);
  const code = opCode("binary", args.op);
  runChunks(ctx, "binary", n, SPLIT, [code, a, b, out]);
}

/** Arguments of {@link binaryScalar}. */
export interface BinaryScalarArgs {
  readonly op: BinaryOp;
  readonly a: number;
  readonly scalar: number;
  readonly out: number;
  readonly n: number;
  /** Compute `scalar op a[i]` instead of `a[i] op scalar`. */
  readonly scalarFirst?: boolean;
}

/**
 * `out[i] = a[i] op scalar` (or `scalar op a[i]` with `scalarFirst`).
 *
 * @example
 * rt.binaryScalar({ op: "mul", a: g, scalar: 0.5, out: g, n });
 */
export function binaryScalar(ctx: KernelContext, args: BinaryScalarArgs): void {
  const { a, scalar, out, n } = args;
  checkSizes("binaryScalar", { n });
  checkSpan(ctx, "binaryScalar", "a", a, n * 4);
  checkSpan(ctx, "binaryScalar", "out", out, n * 4);
  const code = opCode("binaryScalar", args.op, args.scalarFirst);
  runChunks(ctx, "binaryScalar", n, SPLIT, [code, a, scalar, out]);
}

/** Arguments of {@link binaryRows}: a and out [rows, cols], b [cols]. */
export interface BinaryRowsArgs {
  readonly op: BinaryOp;
  readonly a: number;
  readonly b: number;
  readonly out: number;
  readonly rows: number;
  readonly cols: number;
}

/**
 * `out[r, j] = a[r, j] op b[j]`: a row vector broadcast over rows (bias add).
 *
 * @example
 * rt.binaryRows({ op: "add", a: h, b: bias, out: h, rows: B * T, cols: C });
 */
export function binaryRows(ctx: KernelContext, args: BinaryRowsArgs): void {
  const { a, b, out, rows, cols } = args;
  checkSizes("binaryRows", { rows, cols });
  checkSpan(ctx, "binaryRows", "a", a, rows * cols * 4);
  checkSpan(ctx, "binaryRows", "b", b, cols * 4);
  checkSpan(ctx, "binaryRows", "out", out, rows * cols * 4);
  const code = opCode("binaryRows", args.op);
  runChunks(ctx, "binaryRows", rows, { align: 1, minPerThread: SPLIT.minPerThread, unitCost: cols }, [
    code,
    a,
    b,
    out,
    cols,
  ]);
}

/** Arguments of {@link sumLastAxis}: x [rows, cols], out [rows]. */
export interface SumLastAxisArgs {
  readonly x: number;
  readonly out: number;
  readonly rows: number;
  readonly cols: number;
}

/**
 * `out[r] = sum_j x[r, j]`.
 *
 * @example
 * rt.sumLastAxis({ x, out, rows: B * T, cols: C });
 */
export function sumLastAxis(ctx: KernelContext, args: SumLastAxisArgs): void {
  const { x, out, rows, cols } = args;
  checkSizes("sumLastAxis", { rows, cols });
  checkSpan(ctx, "sumLastAxis", "x", x, rows * cols * 4);
  checkSpan(ctx, "sumLastAxis", "out", out, rows * 4);
  runChunks(ctx, "sumLastAxis", rows, { align: 16, minPerThread: SPLIT.minPerThread, unitCost: cols }, [
    x,
    out,
    cols,
  ]);
}
