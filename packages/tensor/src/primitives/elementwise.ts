import { decodeIndex, indexNames, kernel, offsetExpr } from "../backends/gpujs/codegen.js";
import { DTypeError } from "../core/errors.js";
import { broadcastShapes, broadcastStrides, sameShape } from "../core/shape.js";
import * as ops from "../ops/elementwise.js";
import type { AbstractValue, BinaryOp, CompareOp, PrimitiveDef, UnaryOp } from "./primitive.js";

/** Reads input `name` at the output's element, broadcasting: `a[o0*3 + o2]`, or `a[i]` when shapes match. */
const readBroadcast = (name: string, input: AbstractValue, out: AbstractValue): string =>
  sameShape(input.shape, out.shape)
    ? `${name}[this.thread.x]`
    : `${name}[${offsetExpr(broadcastStrides(input.shape, out.shape), indexNames(out.shape.length, "o"))}]`;

const needsDecode = (inputs: readonly AbstractValue[], out: AbstractValue): boolean =>
  inputs.some((x) => !sameShape(x.shape, out.shape));

// erf by Numerical Recipes' erfc approximation (fractional error < 1.2e-7 everywhere): float32-exact.
const ERF_BODY = `const z = Math.abs(x);
const t = 1.0 / (1.0 + 0.5 * z);
const c = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
if (x >= 0.0) { return 1.0 - c; }
return c - 1.0;
`;

const UNARY_BODY: Record<UnaryOp, string> = {
  neg: "return -x;\n",
  exp: "return Math.exp(x);\n",
  log: "return Math.log(x);\n",
  sqrt: "return Math.sqrt(x);\n",
  rsqrt: "return 1.0 / Math.sqrt(x);\n",
  tanh: "return Math.tanh(x);\n",
  erf: ERF_BODY,
  abs: "return Math.abs(x);\n",
  sign: "return Math.sign(x);\n",
  reciprocal: "return 1.0 / x;\n",
  sin: "return Math.sin(x);\n",
  cos: "return Math.cos(x);\n",
};

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/** d/dx of each unary op, as a function of the input x and output y. */
const UNARY_VJP: Record<UnaryOp, (g: ops.T, x: ops.T, y: ops.T) => ops.T | null> = {
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

const unary = (op: UnaryOp): PrimitiveDef<UnaryOp> => ({
  abstractEval([x]) {
    if (x!.dtype !== "float32")
      throw new DTypeError(op, `expects a float32 tensor, got ${x!.dtype}; cast it first`);
    return x!;
  },
  gpujs: () => kernel(["a"], `const x = a[this.thread.x];\n${UNARY_BODY[op]}`),
  vjp: (g, [x], y) => [UNARY_VJP[op](g, x!, y)],
});

const BINARY_EXPR: Record<BinaryOp, string> = {
  add: "x + y",
  sub: "x - y",
  mul: "x * y",
  div: "x / y",
  pow: "Math.pow(x, y)",
  maximum: "Math.max(x, y)",
  minimum: "Math.min(x, y)",
};

/** Share of the gradient that goes to x for max/min: 1 where x wins, ½ on ties (as PyTorch). */
const winnerWeight = (wins: ops.T, ties: ops.T): ops.T =>
  ops.add(ops.cast(wins, "float32"), ops.mul(ops.cast(ties, "float32"), 0.5));

const BINARY_VJP: Record<BinaryOp, (g: ops.T, x: ops.T, y: ops.T, out: ops.T) => readonly (ops.T | null)[]> =
  {
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

const checkSameDtype = (op: string, inputs: readonly AbstractValue[]): void => {
  const d = inputs[0]!.dtype;
  for (const x of inputs) {
    if (x.dtype !== d) {
      throw new DTypeError(
        op,
        `dtypes differ (${inputs.map((i) => i.dtype).join(" and ")}); cast one operand first`,
      );
    }
  }
};

const binaryBody = (inputs: readonly AbstractValue[], out: AbstractValue, expr: string): string =>
  (needsDecode(inputs, out) ? decodeIndex(out.shape, "this.thread.x", "o") : "") +
  `const x = ${readBroadcast("a", inputs[0]!, out)};\nconst y = ${readBroadcast("b", inputs[1]!, out)};\n${expr}`;

const binary = (op: BinaryOp): PrimitiveDef<BinaryOp> => ({
  abstractEval(inputs) {
    checkSameDtype(op, inputs);
    const dtype = inputs[0]!.dtype;
    if (dtype === "bool")
      throw new DTypeError(op, "arithmetic on bool tensors; cast to float32 or int32 first");
    if (dtype === "int32" && (op === "div" || op === "pow")) {
      throw new DTypeError(op, "int32 operands; cast to float32 first (true division is a float operation)");
    }
    return { shape: broadcastShapes(op, inputs[0]!.shape, inputs[1]!.shape), dtype };
  },
  gpujs: (inputs, _p, out) => kernel(["a", "b"], binaryBody(inputs, out, `return ${BINARY_EXPR[op]};\n`)),
  vjp: (g, [x, y], out) => BINARY_VJP[op](g, x!, y!, out),
});

const COMPARE_EXPR: Record<CompareOp, string> = {
  equal: "x == y",
  notEqual: "x != y",
  less: "x < y",
  lessEqual: "x <= y",
  greater: "x > y",
  greaterEqual: "x >= y",
};

const compare = (op: CompareOp): PrimitiveDef<CompareOp> => ({
  abstractEval(inputs) {
    checkSameDtype(op, inputs);
    return { shape: broadcastShapes(op, inputs[0]!.shape, inputs[1]!.shape), dtype: "bool" };
  },
  gpujs: (inputs, _p, out) =>
    kernel(["a", "b"], binaryBody(inputs, out, `if (${COMPARE_EXPR[op]}) { return 1.0; }\nreturn 0.0;\n`)),
  vjp: () => [null, null],
  differentiable: false,
});

export const unaryPrimitives = {
  neg: unary("neg"),
  exp: unary("exp"),
  log: unary("log"),
  sqrt: unary("sqrt"),
  rsqrt: unary("rsqrt"),
  tanh: unary("tanh"),
  erf: unary("erf"),
  abs: unary("abs"),
  sign: unary("sign"),
  reciprocal: unary("reciprocal"),
  sin: unary("sin"),
  cos: unary("cos"),
};

export const binaryPrimitives = {
  add: binary("add"),
  sub: binary("sub"),
  mul: binary("mul"),
  div: binary("div"),
  pow: binary("pow"),
  maximum: binary("maximum"),
  minimum: binary("minimum"),
};

export const comparePrimitives = {
  equal: compare("equal"),
  notEqual: compare("notEqual"),
  less: compare("less"),
  lessEqual: compare("lessEqual"),
  greater: compare("greater"),
  greaterEqual: compare("greaterEqual"),
};

/** where(cond, x, y): x where cond is true, else y; all three broadcast together. */
export const wherePrimitive: PrimitiveDef<"where"> = {
  abstractEval([c, x, y]) {
    if (c!.dtype !== "bool") throw new DTypeError("where", `condition must be bool, got ${c!.dtype}`);
    checkSameDtype("where", [x!, y!]);
    return { shape: broadcastShapes("where", c!.shape, x!.shape, y!.shape), dtype: x!.dtype };
  },
  gpujs: (inputs, _p, out) =>
    kernel(
      ["c", "a", "b"],
      (needsDecode(inputs, out) ? decodeIndex(out.shape, "this.thread.x", "o") : "") +
        `if (${readBroadcast("c", inputs[0]!, out)} > 0.5) { return ${readBroadcast("a", inputs[1]!, out)}; }\n` +
        `return ${readBroadcast("b", inputs[2]!, out)};\n`,
    ),
  vjp: (g, [c]) => [null, ops.where(c!, g, 0), ops.where(c!, 0, g)],
};

/** cast(x, dtype): float → int truncates toward zero, anything → bool tests `!= 0`. */
export const castPrimitive: PrimitiveDef<"cast"> = {
  abstractEval: ([x], { dtype }) => ({ shape: x!.shape, dtype }),
  gpujs: ([x], { dtype }) => {
    if (dtype === "bool") return kernel(["a"], "if (a[this.thread.x] != 0.0) { return 1.0; }\nreturn 0.0;\n");
    if (dtype === "int32" && x!.dtype === "float32") {
      return kernel(
        ["a"],
        "const x = a[this.thread.x];\nif (x < 0.0) { return Math.ceil(x); }\nreturn Math.floor(x);\n",
      );
    }
    return kernel(["a"], "return a[this.thread.x];\n");
  },
  vjp: (g, [x]) => [x!.dtype === "float32" ? g : null],
};

/** stopGradient(x): x itself, through which no gradient flows. */
export const stopGradientPrimitive: PrimitiveDef<"stopGradient"> = {
  abstractEval: ([x]) => x!,
  gpujs: () => kernel(["a"], "return a[this.thread.x];\n"),
  vjp: () => [null],
  aliases: true,
  differentiable: false,
};
