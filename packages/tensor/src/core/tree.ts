import { isTensor } from "./brand.js";
import type { Tensor } from "./tensor.js";

/**
 * Pytrees: nested plain objects and arrays whose leaves are tensors. Parameters, gradients and
 * optimizer states are all pytrees, so one `treeMap` serves them all. Non-tensor values (numbers,
 * strings, null) are static: carried through unchanged, never mapped.
 */
export type Tree =
  | Tensor
  | readonly Tree[]
  | { readonly [key: string]: Tree }
  | number
  | string
  | boolean
  | null
  | undefined;

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  x !== null && typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype;

const join = (path: string, key: string | number): string => (path ? `${path}.${key}` : `${key}`);

/**
 * The one tree walker: rebuilds `tree` with every leaf replaced by `fn(leaf, path)`, where `path` is
 * the dotted path of keys and array indices (`h.0.attn.weight`). Arrays and plain objects are the
 * containers (object keys in insertion order); a node `isLeaf` accepts is a leaf (by default a tensor);
 * anything else is static and carried through unchanged. Other trees use it with their own leaves:
 * optimizer states (tensors and numbers), parameter specs (`{ shape, init }`).
 * @example
 * treeMapWithPath(params, (w, path) => (path.endsWith(".bias") ? w : mul(w, 0.5)))
 * treeMapWithPath(spec, (leaf: ParamSpec) => leaf.shape, isParamSpec) // the shapes, same structure
 */
export const treeMapWithPath = <L = Tensor>(
  tree: unknown,
  fn: (leaf: L, path: string) => unknown,
  isLeaf: (x: unknown) => x is L = isTensor as (x: unknown) => x is L,
): unknown => {
  const visit = (x: unknown, path: string): unknown => {
    if (isLeaf(x)) return fn(x, path);
    if (Array.isArray(x)) return x.map((v, i) => visit(v, join(path, i)));
    if (isPlainObject(x)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(x)) out[k] = visit(v, join(path, k));
      return out;
    }
    return x;
  };
  return visit(tree, "");
};

/** The tensors of a tree, depth first, object keys in insertion order. */
export const treeLeaves = (tree: unknown): Tensor[] => {
  const out: Tensor[] = [];
  treeMapWithPath(tree, (t) => {
    out.push(t);
    return t;
  });
  return out;
};

/** Maps every tensor of `tree` through `fn`, keeping the structure. */
export const treeMap = <T>(tree: T, fn: (leaf: Tensor, path: string) => Tensor): T =>
  treeMapWithPath(tree, fn) as T;

/**
 * Maps corresponding tensors of several trees of the same structure (the first tree gives it).
 * @example treeZip([params, grads], ([p, g]) => sub(p, mul(g, lr)))
 */
export const treeZip = <T>(
  trees: readonly [T, ...unknown[]],
  fn: (leaves: Tensor[], path: string) => Tensor,
): T => {
  const leafLists = trees.map((t) => treeLeaves(t));
  const n = leafLists[0]!.length;
  for (const [i, l] of leafLists.entries()) {
    if (l.length !== n) throw new Error(`treeZip: tree ${i} has ${l.length} tensors, tree 0 has ${n}`);
  }
  let i = 0;
  return treeMap(trees[0], (_, path) => {
    const leaves = leafLists.map((l) => l[i]!);
    i++;
    return fn(leaves, path);
  });
};

/** `{ "h.0.attn.weight": tensor, ... }`: a tree flattened to dotted paths. */
export const treeFlatten = (tree: unknown): Map<string, Tensor> => {
  const out = new Map<string, Tensor>();
  treeMap(tree, (t, path) => {
    out.set(path, t);
    return t;
  });
  return out;
};
