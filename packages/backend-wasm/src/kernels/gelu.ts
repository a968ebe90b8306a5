import { checkSizes, checkSpan, type KernelContext, runChunks } from "./context.js";

// GELU costs ~20 flops per element plus an exp: split from 16K elements.
const SPLIT = { align: 16, minPerThread: 1 << 14 };

/** Arguments of {@link gelu}; `y` may equal `x`. */
export interface GeluArgs {
  readonly x: number;
  readonly y: number;
  readonly n: number;
  /** The erf form used by BERT (`true`), or the tanh approximation `gelu_new` of GPT-2 (default). */
  readonly exact?: boolean;
}

/**
 * GELU: `0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))`, or `0.5 x (1 + erf(x / sqrt 2))` when `exact`.
 *
 * @example
 * rt.gelu({ x: h, y: h, n: B * T * 4 * C });
 */
export function gelu(ctx: KernelContext, args: GeluArgs): void {
  const { x, y, n } = args;
  checkSizes("gelu", { n });
  checkSpan(ctx, "gelu", "x", x, n * 4);
  checkSpan(ctx, "gelu", "y", y, n * 4);
  const exact = args.exact ? 1 : 0;
  runChunks(ctx, "gelu", n, SPLIT, [x, y, exact]);
}

/** Arguments of {@link geluBackward}; `dx` may equal `dy`. */
export interface GeluBackwardArgs {
  readonly x: number;
  readonly dy: number;
  readonly dx: number;
  readonly n: number;
  readonly exact?: boolean;
}

/**
 * GELU backward: `dx = dy * gelu'(x)` for the same form as the forward call.
 *
 * @example
 * rt.geluBackward({ x: preActivation, dy, dx, n });
 */
export function geluBackward(ctx: KernelContext, args: GeluBackwardArgs): void {
  const { x, dy, dx, n } = args;
  checkSizes("geluBackward", { n });
  for (const [name, ptr] of [
    ["x", x],
    ["dy", dy],
    ["dx", dx],
  ] as const)
    checkSpan(ctx, "geluBackward", name, ptr, n * 4);
  const exact = args.exact ? 1 : 0;
  runChunks(ctx, "geluBackward", n, SPLIT, [x, dy, dx, exact]);
}
