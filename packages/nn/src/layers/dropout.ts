/** Dropout driven by the apply context: identity in evaluation, a keyed inverted-dropout mask in training. */
import { dropout as dropoutOp, type random, type Tensor } from "@scratchgrad/tensor";
import type { ApplyContext } from "./context.js";

/**
 * Zeroes each element with probability `p` (scaling survivors by 1/(1−p)) when `ctx.training`; the
 * mask comes from `ctx.key` alone, so a step is reproducible.
 * @example
 * const y = dropout(x, 0.1, { training: true, key: random.key(1) });
 */
export const dropout = (x: Tensor, p: number, ctx: ApplyContext): Tensor => {
  if (!ctx.training || p === 0) return x;
  return dropoutOp(dropoutKey(p, ctx), x, p, true);
};

/**
 * The key that dropout with probability `p` draws its mask from in a training context, or an error
 * that says how to pass one.
 * @example const key = dropoutKey(0.1, { training: true, key: random.key(1) });
 */
export const dropoutKey = (p: number, ctx: ApplyContext): random.Key => {
  if (ctx.key === undefined) {
    throw new Error(
      `dropout(p=${p}): ctx.training is true but ctx.key is missing; pass { training: true, key: random.key(seed) } ` +
        "(fold in the step number for a fresh mask each step) or { training: false } to evaluate.",
    );
  }
  return ctx.key;
};
