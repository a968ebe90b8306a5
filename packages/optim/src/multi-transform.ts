import { scope, type Tensor, treeFlatten, treeMap, treeMapWithPath } from "@scratchgrad/tensor";
import type { GradientTransformation, Json } from "./types.js";

/**
 * Labels for `multiTransform`: a tree shaped like the parameters whose leaves are label strings
 * (`{ layer: { weight: "muon", bias: "adamw" } }`), or the same as a flat record keyed by dotted path
 * (`{ "layer.weight": "muon", "layer.bias": "adamw" }`). A label may also stand for a whole subtree
 * (`{ layer: "adamw" }`, or just `"adamw"` for everything): a parameter takes the label of its
 * longest labelled prefix.
 */
export type LabelTree = string | readonly LabelTree[] | { readonly [key: string]: LabelTree };

/** Labels, or a function from the parameter tree to them (optax's `param_labels`). */
export type ParamLabels = LabelTree | ((params: unknown) => LabelTree);

/** The state of `multiTransform`: each transformation's state over its own parameters, by label. */
export interface MultiTransformState {
  readonly inner: Readonly<Record<string, unknown>>;
}

// The dotted path of every label, as treeFlatten names the parameters (strings are the leaves).
const flattenLabels = (labels: LabelTree): Map<string, string> => {
  const out = new Map<string, string>();
  treeMapWithPath(
    labels,
    (label: string, path) => out.set(path, label),
    (x): x is string => typeof x === "string",
  );
  return out;
};

/**
 * Labels computed leaf by leaf from each parameter's dotted path and value.
 * @example
 * const labels = labelByPath((path, p) => (p.rank === 2 && !path.includes("wte") ? "muon" : "adamw"));
 */
export const labelByPath =
  (label: (path: string, param: Tensor) => string) =>
  (params: unknown): LabelTree =>
    Object.fromEntries([...treeFlatten(params)].map(([path, p]) => [path, label(path, p)]));

/**
 * Which transformation each parameter goes to, by dotted path, checked: every parameter has a label
 * and every label names a transformation.
 */
export const resolveLabels = (
  params: unknown,
  labels: ParamLabels,
  known: readonly string[],
): Map<string, string> => {
  const byPath = flattenLabels(typeof labels === "function" ? labels(params) : labels);
  const out = new Map<string, string>();
  for (const path of treeFlatten(params).keys()) {
    let label = byPath.get(path);
    for (let prefix = path; label === undefined && prefix !== ""; ) {
      prefix = prefix.includes(".") ? prefix.slice(0, prefix.lastIndexOf(".")) : "";
      label = byPath.get(prefix);
    }
    if (label === undefined) {
      throw new Error(
        `multiTransform: parameter "${path}" has no label; give every parameter a label (labels: ${[...byPath.keys()].slice(0, 4).join(", ")}${byPath.size > 4 ? ", ..." : ""})`,
      );
    }
    if (!known.includes(label)) {
      throw new Error(
        `multiTransform: parameter "${path}" is labelled "${label}", which names no transformation; known labels: ${known.join(", ")}`,
      );
    }
    out.set(path, label);
  }
  return out;
};

// The leaves of `tree` one label selects, as a flat record keyed by dotted path: the parameter's own
// name, so masks and layouts keyed by path (decayMask(params), huggingFaceLayout) work unchanged inside.
const select = (tree: unknown, labels: Map<string, string>, label: string): Record<string, Tensor> => {
  const out: Record<string, Tensor> = {};
  for (const [path, t] of treeFlatten(tree)) if (labels.get(path) === label) out[path] = t;
  return out;
};

/**
 * optax's `multi_transform`: routes each parameter to the transformation its label names, each
 * transformation seeing only its own parameters (as a flat record keyed by the parameters' dotted
 * paths). The state holds one inner state per label, so it saves and resumes with
 * `saveOptimizerState`/`loadOptimizerState` like any other; labels that select no parameter keep an
 * empty state.
 * @example
 * const opt = multiTransform(
 *   { muon: muon({ learningRate: 0.02 }), adamw: adamw({ learningRate: 2e-3 }) },
 *   labelByPath((path, p) => (p.rank === 2 && !path.includes("wte") ? "muon" : "adamw")),
 * );
 */
export const multiTransform = (
  transforms: Readonly<Record<string, GradientTransformation<any>>>,
  labels: ParamLabels,
): GradientTransformation<MultiTransformState> => {
  const names = Object.keys(transforms);
  return {
    init: (params) => {
      const routing = resolveLabels(params, labels, names);
      return {
        inner: Object.fromEntries(names.map((n) => [n, transforms[n]!.init(select(params, routing, n))])),
      };
    },
    update: (updates, state, params) =>
      scope(() => {
        const routing = resolveLabels(params ?? updates, labels, names);
        const results = new Map<string, Tensor>();
        const inner: Record<string, unknown> = {};
        for (const name of names) {
          if (!state?.inner || !(name in state.inner)) {
            throw new TypeError(
              `multiTransform: state has no entry for "${name}"; build it with this transformation's init(params)`,
            );
          }
          const [u, s] = transforms[name]!.update(
            select(updates, routing, name),
            state.inner[name],
            params === undefined ? undefined : select(params, routing, name),
          );
          for (const [path, t] of Object.entries(u)) results.set(path, t);
          inner[name] = s;
        }
        const out = treeMap(updates, (_, path) => results.get(path)!);
        return [out, { inner }] as const;
      }),
    hyperparameters: {
      name: "multiTransform",
      transforms: Object.fromEntries(names.map((n) => [n, transforms[n]!.hyperparameters ?? null])) as Json,
      labels: typeof labels === "function" ? "function" : (labels as Json),
    },
  };
};
