import { bind } from "../core/bind.js";
import type { DType } from "../core/dtype.js";
import { allocTyped } from "../core/dtype.js";
import type { Tensor } from "../core/tensor.js";
import type { BinaryOp, CompareOp, UnaryOp } from "../primitives/primitive.js";
import { fromTypedArray } from "./creation.js";

export type T = Tensor;
/** A tensor or a plain number (a scalar of the other operand's dtype). */
export type TensorLike = Tensor | number;

/** A number becomes a scalar tensor matching `like`'s dtype and backend. */
const lift = (x: TensorLike, like: Tensor): Tensor => {
  if (typeof x !== "number") return x;
  const data = allocTyped(like.dtype === "bool" ? "float32" : like.dtype, 1);
  data[0] = x;
  return fromTypedArray(data, [], like.dtype === "bool" ? "float32" : like.dtype, like.backend);
};

const pair = (op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] => {
  if (typeof a === "number" && typeof b === "number")
    throw new TypeError(`${op}: at least one operand must be a tensor`);
  const like = (typeof a === "number" ? b : a) as Tensor;
  return [lift(a, like), lift(b, like)];
};

const unary =
  (op: UnaryOp) =>
  (x: Tensor): Tensor =>
    bind(op, [x], {});
const binary =
  (op: BinaryOp) =>
  (a: TensorLike, b: TensorLike): Tensor =>
    bind(op, pair(op, a, b), {});
const compare =
  (op: CompareOp) =>
  (a: TensorLike, b: TensorLike): Tensor =>
    bind(op, pair(op, a, b), {});

/** -x */
export const neg = unary("neg");
/** eˣ */
export const exp = unary("exp");
/** Natural logarithm. */
export const log = unary("log");
export const sqrt = unary("sqrt");
/** 1/√x */
export const rsqrt = unary("rsqrt");
export const tanh = unary("tanh");
/** The Gauss error function. */
export const erf = unary("erf");
export const abs = unary("abs");
/** -1, 0 or 1. */
export const sign = unary("sign");
/** 1/x */
export const reciprocal = unary("reciprocal");
export const sin = unary("sin");
export const cos = unary("cos");

/** a + b with NumPy broadcasting. @example add(x, 1) */
export const add = binary("add");
export const sub = binary("sub");
export const mul = binary("mul");
export const div = binary("div");
/** aᵇ */
export const pow = binary("pow");
export const maximum = binary("maximum");
export const minimum = binary("minimum");

/** Elementwise comparisons, returning bool tensors. */
export const equal = compare("equal");
export const notEqual = compare("notEqual");
export const less = compare("less");
export const lessEqual = compare("lessEqual");
export const greater = compare("greater");
export const greaterEqual = compare("greaterEqual");

/** Elements of `x` where `cond` is true, of `y` elsewhere (all three broadcast). */
export const where = (cond: Tensor, x: TensorLike, y: TensorLike): Tensor => {
  const [a, b] = pair("where", x, y);
  return bind("where", [cond, a, b], {});
};

/** Converts the dtype (float → int truncates toward zero; → bool tests ≠ 0). No-op if equal. */
export const cast = (x: Tensor, dtype: DType): Tensor =>
  x.dtype === dtype ? x : bind("cast", [x], { dtype });

/** x, through which no gradient flows. */
export const stopGradient = (x: Tensor): Tensor => bind("stopGradient", [x], {});

/** x² */
export const square = (x: Tensor): Tensor => mul(x, x);
