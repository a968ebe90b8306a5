import { isTensor, type Tensor, treeMapWithPath } from "@scratchgrad/tensor";

/** A non-tensor leaf of a state tree (a step count, a flag): saved in the JSON file. */
export type StaticLeaf = number | string | boolean | null;

const isStateLeaf = (x: unknown): x is Tensor | StaticLeaf =>
  isTensor(x) || x === null || typeof x === "number" || typeof x === "string" || typeof x === "boolean";

/**
 * Rebuilds a state tree leaf by leaf: tensors through `onTensor`, numbers/strings/booleans/null through
 * `onStatic`, both with the dotted path `treeFlatten` would give (`1.mu.h.0.attn.weight`, `1.count`).
 * The walk is the tensor core's `treeMapWithPath`, with static values as leaves too.
 */
export const mapStateLeaves = <T>(
  tree: T,
  onTensor: (t: Tensor, path: string) => Tensor,
  onStatic: (value: StaticLeaf, path: string) => StaticLeaf,
): T =>
  treeMapWithPath(
    tree,
    (leaf, path) => (isTensor(leaf) ? onTensor(leaf, path) : onStatic(leaf, path)),
    isStateLeaf,
  ) as T;

/** The tensors and static leaves of a state tree, by dotted path. */
export const flattenState = (
  tree: unknown,
): { tensors: Map<string, Tensor>; statics: Map<string, StaticLeaf> } => {
  const tensors = new Map<string, Tensor>();
  const statics = new Map<string, StaticLeaf>();
  mapStateLeaves(
    tree,
    (t, path) => {
      tensors.set(path, t);
      return t;
    },
    (value, path) => {
      statics.set(path, value);
      return value;
    },
  );
  return { tensors, statics };
};
