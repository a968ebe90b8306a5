import type { Tensor } from "./tensor.js";

/**
 * The mark every `Tensor` carries. Modules that only need to recognise tensors (the pytree walker, and
 * through it the memory policy) test for this brand instead of `instanceof Tensor`, so they import
 * nothing from `tensor.ts` at run time and the core's modules form no cycle.
 */
export const tensorBrand: unique symbol = Symbol("scratchgrad.Tensor");

/**
 * Whether `x` is a tensor.
 * @example treeLeaves({ w, step: 3 }).every(isTensor) // true: 3 is a static leaf, not collected
 */
export const isTensor = (x: unknown): x is Tensor =>
  x !== null && typeof x === "object" && (x as { [tensorBrand]?: boolean })[tensorBrand] === true;
