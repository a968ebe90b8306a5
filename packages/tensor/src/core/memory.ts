import { heldByActiveTape } from "../autodiff/tape.js";
import type { Tensor } from "./tensor.js";
import { treeLeaves } from "./tree.js";

/**
 * Memory policy. Tensors are immutable values whose backend buffers (typed arrays, GPU textures,
 * WebAssembly heap blocks) must be released deterministically: a garbage collector sees neither GPU
 * nor wasm memory pressure. So:
 *
 * - `scope(fn)` releases every tensor created while `fn` runs, except the tensors in its return value
 *   and those an enclosing `vjp` still records as residuals, which move to the enclosing scope. `grad`/`valueAndGrad` run in a scope of their own, so their
 *   intermediates are gone when they return.
 * - A tensor created outside any scope lives until `dispose(t)` or, as a backstop, until the garbage
 *   collector finalises it.
 * - A training loop keeps memory flat by running each step in a scope and disposing the previous state
 *   (`disposeReplaced(previous, next)`), which is what the live-buffer test checks over many steps.
 */

const scopes: Set<Tensor>[] = [];

/** Called by the Tensor constructor: the innermost scope owns the new tensor. */
export const trackInScope = (tensor: Tensor): void => {
  scopes[scopes.length - 1]?.add(tensor);
};

/**
 * Runs `fn` and disposes every tensor it created except those reachable from its result.
 * @example
 * const loss = scope(() => sum(mul(x, x))); // the product is released, `loss` is kept
 */
export const scope = <T>(fn: () => T): T => {
  const created = new Set<Tensor>();
  scopes.push(created);
  let result: T;
  try {
    result = fn();
  } catch (error) {
    scopes.pop();
    for (const t of created) t.dispose();
    throw error;
  }
  scopes.pop();
  if (
    result !== null &&
    typeof result === "object" &&
    typeof (result as { then?: unknown }).then === "function"
  ) {
    for (const t of created) t.dispose();
    throw new TypeError(
      "scope(fn): fn returned a Promise; scopes are synchronous, await inside and wrap the sync part",
    );
  }
  const kept = new Set(treeLeaves(result));
  const parent = scopes[scopes.length - 1];
  for (const t of created) {
    // Tensors an enclosing vjp still needs as residuals survive into the parent scope.
    if (kept.has(t) || heldByActiveTape(t)) parent?.add(t);
    else t.dispose();
  }
  return result;
};

/** Takes `tensor` out of scope tracking: it lives until `dispose` or garbage collection. */
export const keep = <T extends Tensor>(tensor: T): T => {
  for (const s of scopes) s.delete(tensor);
  return tensor;
};

/** Disposes every tensor of a pytree. */
export const dispose = (tree: unknown): void => {
  for (const t of treeLeaves(tree)) t.dispose();
};

/**
 * Disposes the tensors of `previous` that do not also appear in `next`: the step of a training loop
 * that replaces its state (parameters an optimizer left unchanged stay alive).
 */
export const disposeReplaced = (previous: unknown, next: unknown): void => {
  const survivors = new Set(treeLeaves(next));
  for (const t of treeLeaves(previous)) if (!survivors.has(t)) t.dispose();
};
