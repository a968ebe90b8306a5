import { decodeIndex, indexNames, kernel, offsetExpr } from "../backends/gpujs/codegen.js";
import { DTypeError } from "../core/errors.js";
import { broadcastShapes, broadcastStrides, sameShape } from "../core/shape.js";
import type { AbstractValue, BinaryOp, CompareOp, PrimitiveRule, UnaryOp } from "./primitive.js";

// Shape rules and GPU.js kernels of the elementwise primitives (their VJPs: ./elementwise-vjp.ts).

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

// sin and cos by range reduction to r in [-pi/4, pi/4] (x = k pi/2 + r, pi/2 split in three parts as
// Cody and Waite do, so k pi/2 is subtracted exactly) and Cephes' float32 polynomials on r (error
// ~1e-7): a GPU's own sin/cos may be far coarser (SwiftShader's WebGL: 1.9e-4 absolute). The quadrant
// (k + shift) mod 4 picks sin r, cos r, -sin r or -cos r; cos x = sin(x + pi/2) is shift 1.
const sinCosBody = (shift: number): string => `const k = Math.round(x * 0.6366197723675814);
const r = ((x - k * 1.5703125) - k * 0.00048375129699707031) - k * 0.00000007549789954891882;
const z = r * r;
const s = r + r * z * (-0.16666654611 + z * (0.0083321608736 + z * -0.00019515295891));
const c = 1.0 - 0.5 * z + z * z * (0.041666645683 + z * (-0.0013887316255 + z * 0.000024433157118));
const q = k + ${shift.toFixed(1)} - 4.0 * Math.floor((k + ${shift.toFixed(1)}) / 4.0);
if (q < 0.5) { return s; }
if (q < 1.5) { return c; }
if (q < 2.5) { return -s; }
return -c;
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
  sin: sinCosBody(0),
  cos: sinCosBody(1),
};

const unary = (op: UnaryOp): PrimitiveRule<UnaryOp> => ({
  abstractEval([x]) {
    if (x!.dtype !== "float32")
      throw new DTypeError(op, `expects a float32 tensor, got ${x!.dtype}; cast it first`);
    return x!;
  },
  gpujs: () => kernel(["a"], `const x = a[this.thread.x];\n${UNARY_BODY[op]}`),
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

const binary = (op: BinaryOp): PrimitiveRule<BinaryOp> => ({
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
});

const COMPARE_EXPR: Record<CompareOp, string> = {
  equal: "x == y",
  notEqual: "x != y",
  less: "x < y",
  lessEqual: "x <= y",
  greater: "x > y",
  greaterEqual: "x >= y",
};

const compare = (op: CompareOp): PrimitiveRule<CompareOp> => ({
  abstractEval(inputs) {
    checkSameDtype(op, inputs);
    return { shape: broadcastShapes(op, inputs[0]!.shape, inputs[1]!.shape), dtype: "bool" };
  },
  gpujs: (inputs, _p, out) =>
    kernel(["a", "b"], binaryBody(inputs, out, `if (${COMPARE_EXPR[op]}) { return 1.0; }\nreturn 0.0;\n`)),
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
export const wherePrimitive: PrimitiveRule<"where"> = {
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
};

/** cast(x, dtype): float → int truncates toward zero, anything → bool tests `!= 0`. */
export const castPrimitive: PrimitiveRule<"cast"> = {
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
};

/** stopGradient(x): x itself, through which no gradient flows. */
export const stopGradientPrimitive: PrimitiveRule<"stopGradient"> = {
  abstractEval: ([x]) => x!,
  gpujs: () => kernel(["a"], "return a[this.thread.x];\n"),
  aliases: true,
  differentiable: false,
};
