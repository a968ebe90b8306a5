import type { Tensor } from "../core/tensor.js";
import * as ops from "../ops/elementwise.js";
import type { BinaryOp, CompareOp, UnaryOp, VjpRule } from "./primitive.js";

// VJP rules of the elementwise primitives (their shape rules and kernels: ./elementwise.ts).

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/** d/dx of each unary op, as a function of the input x and output y. */
const UNARY_VJP: Record<UnaryOp, (g: Tensor, x: Tensor, y: Tensor) => Tensor | null> = {
  neg: (g) => ops.neg(g),
  exp: (g, _x, y) => ops.mul(g, y), // d/dx e^x = e^x
  log: (g, x) => ops.div(g, x), // d/dx ln x = 1/x
  sqrt: (g, _x, y) => ops.div(g, ops.mul(y, 2)), // d/dx √x = 1/(2√x)
  rsqrt: (g, _x, y) => ops.mul(g, ops.mul(ops.mul(y, ops.mul(y, y)), -0.5)), // d/dx x^-½ = -½ x^-3/2
  tanh: (g, _x, y) => ops.mul(g, ops.sub(1, ops.mul(y, y))), // d/dx tanh x = 1 - tanh² x
  erf: (g, x) => ops.mul(g, ops.mul(ops.exp(ops.neg(ops.mul(x, x))), TWO_OVER_SQRT_PI)), // 2/√π e^{-x²}
  abs: (g, x) => ops.mul(g, ops.sign(x)),
  sign: () => null, // piecewise constant
  reciprocal: (g, _x, y) => ops.neg(ops.mul(g, ops.mul(y, y))), // d/dx 1/x = -1/x²
  sin: (g, x) => ops.mul(g, ops.cos(x)),
  cos: (g, x) => ops.neg(ops.mul(g, ops.sin(x))),
};

const unaryVjp =
  (op: UnaryOp): VjpRule<UnaryOp> =>
  (g, [x], y) => [UNARY_VJP[op](g, x!, y)];

/** Share of the gradient that goes to x for max/min: 1 where x wins, ½ on ties (as PyTorch). */
const winnerWeight = (wins: Tensor, ties: Tensor): Tensor =>
  ops.add(ops.cast(wins, "float32"), ops.mul(ops.cast(ties, "float32"), 0.5));

const BINARY_VJP: Record<
  BinaryOp,
  (g: Tensor, x: Tensor, y: Tensor, out: Tensor) => readonly (Tensor | null)[]
> = {
  add: (g) => [g, g],
  sub: (g) => [g, ops.neg(g)],
  mul: (g, x, y) => [ops.mul(g, y), ops.mul(g, x)],
  div: (g, _x, y, out) => [ops.div(g, y), ops.neg(ops.div(ops.mul(g, out), y))], // d/dy x/y = -(x/y)/y
  pow: (g, x, y, out) => [
    ops.mul(g, ops.mul(y, ops.pow(x, ops.sub(y, 1)))), // d/dx x^y = y x^(y-1)
    // d/dy x^y = x^y ln x, defined for x > 0 (0 elsewhere, as the limit for x → 0⁺ when y > 0)
    ops.where(ops.greater(x, 0), ops.mul(g, ops.mul(out, ops.log(ops.maximum(x, 1e-30)))), 0),
  ],
  maximum: (g, x, y) => {
    const w = winnerWeight(ops.greater(x, y), ops.equal(x, y));
    return [ops.mul(g, w), ops.mul(g, ops.sub(1, w))];
  },
  minimum: (g, x, y) => {
    const w = winnerWeight(ops.less(x, y), ops.equal(x, y));
    return [ops.mul(g, w), ops.mul(g, ops.sub(1, w))];
  },
};

const binaryVjp =
  (op: BinaryOp): VjpRule<BinaryOp> =>
  (g, [x, y], out) =>
    BINARY_VJP[op](g, x!, y!, out);

/** Comparisons are piecewise constant: no gradient. */
const compareVjp: VjpRule<CompareOp> = () => [null, null];

export const unaryVjps = {
  neg: unaryVjp("neg"),
  exp: unaryVjp("exp"),
  log: unaryVjp("log"),
  sqrt: unaryVjp("sqrt"),
  rsqrt: unaryVjp("rsqrt"),
  tanh: unaryVjp("tanh"),
  erf: unaryVjp("erf"),
  abs: unaryVjp("abs"),
  sign: unaryVjp("sign"),
  reciprocal: unaryVjp("reciprocal"),
  sin: unaryVjp("sin"),
  cos: unaryVjp("cos"),
};

export const binaryVjps = {
  add: binaryVjp("add"),
  sub: binaryVjp("sub"),
  mul: binaryVjp("mul"),
  div: binaryVjp("div"),
  pow: binaryVjp("pow"),
  maximum: binaryVjp("maximum"),
  minimum: binaryVjp("minimum"),
};

export const compareVjps = {
  equal: compareVjp,
  notEqual: compareVjp,
  less: compareVjp,
  lessEqual: compareVjp,
  greater: compareVjp,
  greaterEqual: compareVjp,
};

// the cotangent goes to the branch each element was taken from; the condition gets none
export const whereVjp: VjpRule<"where"> = (g, [c]) => [null, ops.where(c!, g, 0), ops.where(c!, 0, g)];

// a cast to float32 passes the cotangent through; int and bool outputs carry none
export const castVjp: VjpRule<"cast"> = (g, [x]) => [x!.dtype === "float32" ? g : null];

export const stopGradientVjp: VjpRule<"stopGradient"> = () => [null];
