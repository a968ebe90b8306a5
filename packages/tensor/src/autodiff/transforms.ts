import { bind } from "../core/bind.js";
import { isTensor } from "../core/brand.js";
import { scope } from "../core/memory.js";
import type { Tensor } from "../core/tensor.js";
import { treeLeaves, treeMap } from "../core/tree.js";
import { onesLike, zerosLike } from "../ops/creation.js";
import { backward } from "./backward.js";
import { recording, Tape } from "./tape.js";

/**
 * An autodiff leaf: a new tensor sharing `x`'s buffer, tracked by `tape`. It is made by an identity
 * primitive so that enclosing tapes record it: that link is what makes grad(grad(f)) work.
 */
const watch = (tape: Tape, x: Tensor): Tensor => {
  const leaf = bind("reshape", [x], { shape: x.shape });
  tape.watch(leaf);
  return leaf;
};

/**
 * Reverse-mode autodiff of `f` at `primals`: returns f's output and a pullback mapping an output
 * cotangent (same tree structure as the output) to cotangents of every primal (same structures as
 * the primals). Intermediates live until the caller's scope ends.
 * @example
 * const [y, pullback] = vjp((x) => mul(x, x), tensor([3]));
 * pullback(tensor([1])); // [tensor([6])]
 */
export const vjp = <Args extends unknown[], Out>(
  f: (...args: Args) => Out,
  ...primals: Args
): [Out, (cotangent: Out) => Args] => {
  const tape = new Tape();
  const leaves = primals.map((p) => treeMap(p, (x) => watch(tape, x))) as Args;
  const out = recording(tape, () => f(...leaves));
  const pullback = (cotangent: Out): Args => {
    const cts = backward(tape, treeLeaves(out), treeLeaves(cotangent));
    return leaves.map((l) => treeMap(l, (x) => cts.get(x) ?? zerosLike(x))) as Args;
  };
  return [out, pullback];
};

export interface GradOptions {
  /** Which positional argument to differentiate (default 0). */
  readonly argnum?: number;
  /** f returns `[loss, aux]`; aux is returned beside the value, not differentiated. */
  readonly hasAux?: boolean;
}

type ValueOf<R, A extends boolean | undefined> = A extends true
  ? R extends [infer V, unknown]
    ? V
    : never
  : R;
type AuxOf<R, A extends boolean | undefined> = A extends true
  ? R extends [unknown, infer X]
    ? X
    : never
  : undefined;

/**
 * `valueAndGrad(f)(...args)` → `[value, grads]` (or `[[value, aux], grads]` with `hasAux`): f's
 * scalar float output and its gradient with respect to argument `argnum`, a tree shaped like it.
 * Runs in a scope of its own: every intermediate is released before it returns.
 * @example
 * const lossFn = (w: Tensor, x: Tensor) => sum(square(matmul(x, w)));
 * const [loss, dw] = valueAndGrad(lossFn)(w, x);
 */
export const valueAndGrad =
  <Args extends unknown[], R, A extends boolean | undefined = undefined>(
    f: (...args: Args) => R,
    options: GradOptions & { hasAux?: A } = {},
  ) =>
  (...args: Args): A extends true ? [[ValueOf<R, A>, AuxOf<R, A>], Args[number]] : [R, Args[number]] => {
    const argnum = options.argnum ?? 0;
    return scope(() => {
      const tape = new Tape();
      const leaves = treeMap(args[argnum], (x) => watch(tape, x));
      const callArgs = [...args] as Args;
      callArgs[argnum] = leaves;
      const result = recording(tape, () => f(...callArgs));
      const value = (options.hasAux ? (result as [Tensor, unknown])[0] : result) as unknown;
      if (!isTensor(value) || value.size !== 1 || value.dtype !== "float32") {
        const got = isTensor(value)
          ? `a ${value.dtype} tensor of shape [${value.shape.join(", ")}]`
          : typeof value;
        throw new TypeError(
          `grad: f must return a float32 scalar${options.hasAux ? " as [loss, aux]" : ""}, got ${got}`,
        );
      }
      const cts = backward(tape, [value], [onesLike(value)]);
      const grads = treeMap(leaves, (x) => {
        const g = cts.get(x);
        return g === undefined ? zerosLike(x) : g;
      });
      return [result, grads] as never;
    });
  };

/**
 * `grad(f)(...args)`: the gradient of scalar-valued f with respect to argument `argnum`.
 * @example grad((x: Tensor) => sum(mul(x, x)))(tensor([1, 2])) // [2, 4]
 */
export const grad =
  <Args extends unknown[], R>(f: (...args: Args) => R, options: GradOptions = {}) =>
  (...args: Args): Args[number] =>
    scope(() => valueAndGrad(f, options)(...args)[1]) as Args[number];
