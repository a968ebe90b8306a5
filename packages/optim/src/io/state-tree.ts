import { Tensor } from "@scratchgrad/tensor";

/** A non-tensor leaf of a state tree (a step count, a flag): saved in the JSON file. */
export type StaticLeaf = number | string | boolean | null;

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  x !== null && typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype;

const join = (path: string, key: string | number): string => (path ? `${path}.${key}` : `${key}`);

/**
 * Rebuilds a state tree leaf by leaf: tensors through `onTensor`, numbers/strings/booleans/null through
 * `onStatic`, both with the dotted path `treeFlatten` would give (`1.mu.h.0.attn.weight`, `1.count`).
 */
export const mapStateLeaves = <T>(
  tree: T,
  onTensor: (t: Tensor, path: string) => Tensor,
  onStatic: (value: StaticLeaf, path: string) => StaticLeaf,
): T => {
  const visit = (x: unknown, path: string): unknown => {
    if (x instanceof Tensor) return onTensor(x, path);
    if (Array.isArray(x)) return x.map((v, i) => visit(v, join(path, i)));
    if (isPlainObject(x)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(x)) out[k] = visit(v, join(path, k));
      return out;
    }
    if (x === null || typeof x === "number" || typeof x === "string" || typeof x === "boolean")
      return onStatic(x, path);
    return x;
  };
  return visit(tree, "") as T;
};

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
