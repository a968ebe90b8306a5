import type { DType } from "../core/dtype.js";
import type { Shape } from "../core/shape.js";
import type { Tensor } from "../core/tensor.js";

/**
 * The closed set of primitives. Everything else in scratchgrad (mean, softmax, layerNorm, attention,
 * cross-entropy...) is composed from these and has no gradient code of its own.
 */
export type UnaryOp =
  | "neg"
  | "exp"
  | "log"
  | "sqrt"
  | "rsqrt"
  | "tanh"
  | "erf"
  | "abs"
  | "sign"
  | "reciprocal"
  | "sin"
  | "cos";
export type BinaryOp = "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum";
export type CompareOp = "equal" | "notEqual" | "less" | "lessEqual" | "greater" | "greaterEqual";

type NoParams = Record<string, never>;

/** Each primitive's parameters (static values baked into its kernel, not tensors). */
export type PrimitiveParams = { [K in UnaryOp | BinaryOp | CompareOp]: NoParams } & {
  where: NoParams;
  cast: { readonly dtype: DType };
  stopGradient: NoParams;
  sum: { readonly axes: readonly number[]; readonly keepdims: boolean };
  max: { readonly axes: readonly number[]; readonly keepdims: boolean };
  matmul: { readonly transA: boolean; readonly transB: boolean };
  reshape: { readonly shape: Shape };
  permute: { readonly axes: readonly number[] };
  broadcastTo: { readonly shape: Shape };
  slice: { readonly starts: readonly number[]; readonly ends: readonly number[] };
  pad: { readonly before: readonly number[]; readonly after: readonly number[] };
  concat: { readonly axis: number };
  gather: { readonly axis: number };
  scatterAdd: { readonly axis: number; readonly size: number };
};

export type Primitive = keyof PrimitiveParams;

// The families, one per file of this folder (`<family>.ts` rules, `<family>-vjp.ts` VJPs). Backends
// group their own kernels the same way (backend-wasm's `tensor-backend/primitives/<family>.ts`).
/** Primitives of `elementwise.ts`: unary, binary and comparison ops, `where`, `cast`, `stopGradient`. */
export type ElementwisePrimitive = UnaryOp | BinaryOp | CompareOp | "where" | "cast" | "stopGradient";
/** Primitives of `reduction.ts`. */
export type ReductionPrimitive = "sum" | "max";
/** Primitives of `matmul.ts`. */
export type MatmulPrimitive = "matmul";
/** Primitives of `movement.ts`: views and copies that move elements without computing. */
export type MovementPrimitive = "reshape" | "permute" | "broadcastTo" | "slice" | "pad" | "concat";
/** Primitives of `indexing.ts`. */
export type IndexingPrimitive = "gather" | "scatterAdd";

// Every primitive has a family: this stops compiling when one is added to PrimitiveParams without
// a family, or a family names something that is not a primitive.
type Families =
  | ElementwisePrimitive
  | ReductionPrimitive
  | MatmulPrimitive
  | MovementPrimitive
  | IndexingPrimitive;
type Holds<T extends true> = T;
type _EveryPrimitiveHasAFamily = Holds<[Primitive, Families] extends [Families, Primitive] ? true : false>;

/** A tensor's type without its data: what shape rules and kernel generators see. */
export interface AbstractValue {
  readonly shape: Shape;
  readonly dtype: DType;
}

/**
 * What the forward side of one primitive is: everything `bind` and the backends need, and nothing
 * that calls an operation (so this layer imports no `ops` and cannot take part in an import cycle).
 * - `abstractEval`: the shape/dtype rule; throws `ShapeError`/`DTypeError` naming the op and shapes.
 * - `gpujs`: the GPU.js kernel, as the source of a function computing output element `this.thread.x`
 *   (inputs are flat arrays); the reference every faster backend is tested against.
 * - `aliases`: the output is the input's buffer viewed with another shape (no kernel runs).
 * - `differentiable: false`: outputs carry no gradient (comparisons, stopGradient).
 */
export interface PrimitiveRule<P extends Primitive> {
  abstractEval(inputs: readonly AbstractValue[], params: PrimitiveParams[P]): AbstractValue;
  gpujs(inputs: readonly AbstractValue[], params: PrimitiveParams[P], output: AbstractValue): string;
  readonly aliases?: boolean;
  readonly differentiable?: boolean;
}

/**
 * A primitive's VJP rule: cotangents of the inputs from the output's cotangent `g`, composed from
 * operations (so gradients of gradients work). Binary rules return cotangents in the broadcast output
 * shape: the engine sums them back to each input's shape once, for every primitive (`unbroadcast`).
 * VJP rules sit beside their primitive's rules (`primitives/<family>-vjp.ts`), in their own module
 * because they call `ops`, which call `bind`, which reads the rules.
 */
export type VjpRule<P extends Primitive> = (
  g: Tensor,
  inputs: readonly Tensor[],
  output: Tensor,
  params: PrimitiveParams[P],
) => readonly (Tensor | null)[];

/** The rule table type: a primitive missing from the table, or missing a rule, does not compile. */
export type PrimitiveTable = { readonly [P in Primitive]: PrimitiveRule<P> };

/** The VJP table type: a primitive without a VJP rule does not compile. */
export type VjpTable = { readonly [P in Primitive]: VjpRule<P> };
