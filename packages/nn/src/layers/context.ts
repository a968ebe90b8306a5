/**
 * The apply context: whether we are training (dropout on) and the key dropout draws its masks from.
 * Layers never share a key: each dropout site derives its own with `childContext`.
 */
import { random } from "@scratchgrad/tensor";

/** `{ training: false }` for evaluation; `{ training: true, key }` for a training step. */
export interface ApplyContext {
  readonly training: boolean;
  /** Source of dropout masks; required when training with any dropout probability > 0. */
  readonly key?: random.Key;
}

/** Evaluation mode: dropout is the identity. */
export const evalContext: ApplyContext = { training: false };

/**
 * The context for sub-layer `index`: same mode, key `foldIn(key, index)` (no key stays no key).
 * @example const blockCtx = childContext(ctx, layerIndex);
 */
export const childContext = (ctx: ApplyContext, index: number): ApplyContext =>
  ctx.key === undefined ? ctx : { training: ctx.training, key: random.foldIn(ctx.key, index) };
