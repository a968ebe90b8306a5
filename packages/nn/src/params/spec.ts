/**
 * Parameter specs: the shape and initialiser of every parameter, as a plain tree that mirrors the
 * parameter tree. One spec gives three things that must agree: `initFromSpec` (the random weights),
 * `shapesOf`/`countParams` (sizes without allocating 124M floats) and the names a checkpoint must hold.
 */
import { fromTypedArray, type random, randomArrays, type Tensor, treeMapWithPath } from "@scratchgrad/tensor";

/** How a parameter starts: N(0, std²) (optionally with one row zeroed, as `padding_idx`), 0 or 1. */
export type Init =
  | { readonly kind: "normal"; readonly std: number; readonly zeroRow?: number }
  | { readonly kind: "zeros" }
  | { readonly kind: "ones" };

/** One parameter: its shape and how to initialise it. */
export interface ParamSpec {
  readonly shape: readonly number[];
  readonly init: Init;
}

/** A tree of specs: nested plain objects and arrays whose leaves are `ParamSpec`s (functions here accept any such object). */
export type SpecTree = ParamSpec | readonly SpecTree[] | { readonly [name: string]: SpecTree };

/** The parameter tree a spec tree describes: every `ParamSpec` leaf becomes a `Tensor`. */
export type ParamsOf<S> = S extends ParamSpec
  ? Tensor
  : S extends readonly (infer U)[]
    ? ParamsOf<U>[]
    : { -readonly [K in keyof S]: ParamsOf<S[K]> };

/** A normal(0, std²) parameter. @example normalParam([768, 2304], 0.02) */
export const normalParam = (shape: readonly number[], std: number, zeroRow?: number): ParamSpec => ({
  shape,
  init: zeroRow === undefined ? { kind: "normal", std } : { kind: "normal", std, zeroRow },
});

/** A zero-initialised parameter (biases). @example zerosParam([768]) */
export const zerosParam = (shape: readonly number[]): ParamSpec => ({ shape, init: { kind: "zeros" } });

/** A one-initialised parameter (LayerNorm weights). @example onesParam([768]) */
export const onesParam = (shape: readonly number[]): ParamSpec => ({ shape, init: { kind: "ones" } });

/** Whether a spec-tree node is a leaf. */
export const isParamSpec = (x: unknown): x is ParamSpec =>
  typeof x === "object" &&
  x !== null &&
  Array.isArray((x as ParamSpec).shape) &&
  typeof (x as ParamSpec).init === "object";

/**
 * Maps every leaf of a spec tree with its dotted path (`transformer.h.0.attn.c_attn.weight`, the same
 * path `treeFlatten` gives the parameter tree), keeping the structure: the tensor core's
 * `treeMapWithPath` with `ParamSpec`s as the leaves.
 * @example mapSpec(spec, (leaf) => leaf.shape)
 */
export const mapSpec = <R>(spec: object, fn: (leaf: ParamSpec, path: string) => R): unknown =>
  treeMapWithPath(spec, fn, isParamSpec);

/**
 * Every parameter's dotted path and shape, in tree order.
 * @example shapesOf(gpt2.spec(config)).get("transformer.wte.weight") // [50257, 768]
 */
export const shapesOf = (spec: object): Map<string, readonly number[]> => {
  const out = new Map<string, readonly number[]>();
  mapSpec(spec, (leaf, path) => out.set(path, leaf.shape));
  return out;
};

/**
 * Number of scalar parameters, counted from shapes (nothing is allocated).
 * @example countParams(gpt2.spec(gpt2Config("gpt2"))) // 124439808
 */
export const countParams = (spec: object): number => {
  let n = 0;
  mapSpec(spec, (leaf) => {
    n += leaf.shape.reduce((a, b) => a * b, 1);
  });
  return n;
};

// FNV-1a: a stable 32-bit hash of a parameter path, so each parameter's key depends on its name only
// (adding a layer never changes the initial values of the others).
const hashPath = (path: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) h = Math.imul(h ^ path.charCodeAt(i), 0x01000193);
  return h >>> 0;
};

/** The host values of one parameter, drawn with `key`. */
export const sampleParam = (key: random.Key, leaf: ParamSpec): Float32Array => {
  const n = leaf.shape.reduce((a, b) => a * b, 1);
  const { init } = leaf;
  if (init.kind === "zeros") return new Float32Array(n);
  if (init.kind === "ones") return new Float32Array(n).fill(1);
  const data = randomArrays.normal(key, n, { std: init.std });
  if (init.zeroRow !== undefined) {
    const width = leaf.shape[leaf.shape.length - 1]!;
    data.fill(0, init.zeroRow * width, (init.zeroRow + 1) * width);
  }
  return data;
};

/**
 * Draws a parameter tree from its spec: parameter `path` gets `foldIn(key, hash(path))`.
 * @example const params = initFromSpec(random.key(0), linear.spec({ inFeatures: 4, outFeatures: 8, layout: "out-in" }));
 */
export const initFromSpec = <S extends object>(key: random.Key, spec: S): ParamsOf<S> =>
  mapSpec(spec, (leaf, path) =>
    fromTypedArray(sampleParam(randomArrays.foldIn(key, hashPath(path)), leaf), leaf.shape, "float32"),
  ) as ParamsOf<S>;
