import { decodeIndex, indexNames, kernel, offsetExpr } from "../backends/gpujs/codegen.js";
import { DTypeError, ShapeError } from "../core/errors.js";
import { sizeOf, stridesOf } from "../core/shape.js";
import type { AbstractValue, PrimitiveParams, PrimitiveRule } from "./primitive.js";

// Shape rules and GPU.js kernels of the reductions (their VJPs: ./reduction-vjp.ts).

type ReduceParams = PrimitiveParams["sum"];

/** The output shape of a reduction over `axes`. */
export const reducedShape = (shape: readonly number[], { axes, keepdims }: ReduceParams): number[] =>
  keepdims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));

const checkAxes = (op: string, x: AbstractValue, axes: readonly number[]): void => {
  for (const a of axes) {
    if (!Number.isInteger(a) || a < 0 || a >= x.shape.length) {
      throw new ShapeError(op, `axis ${a} out of range for rank ${x.shape.length} (axes must be normalised)`);
    }
  }
};

/**
 * Kernel source for a reduction: each output element loops over the reduced elements. `combine`
 * folds `v` into `acc`; `init` is "first" (start from the first element) or a literal.
 */
const reduceKernel = (
  x: AbstractValue,
  { axes }: ReduceParams,
  combine: string,
  init: "first" | string,
): string => {
  const shape = x.shape;
  const strides = stridesOf(shape);
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const red = [...axes];
  const keptShape = kept.map((i) => shape[i]!);
  const redShape = red.map((i) => shape[i]!);
  const R = sizeOf(redShape);
  let body = decodeIndex(keptShape, "this.thread.x", "o");
  body += `const base = ${offsetExpr(
    kept.map((i) => strides[i]!),
    indexNames(kept.length, "o"),
  )};\n`;
  // When the reduced axes are the trailing, contiguous ones, element j sits at base + j.
  const trailing = red.every((a, i) => a === shape.length - red.length + i);
  const at = (j: string): string =>
    trailing
      ? `base + ${j}`
      : `base + ${offsetExpr(
          red.map((i) => strides[i]!),
          indexNames(red.length, "r"),
        )}`;
  const decodeJ = trailing ? "" : decodeIndex(redShape, "j", "r");
  if (R === 0) return kernel(["a"], `return ${init === "first" ? "0.0" : init};\n`);
  const start = init === "first" ? 1 : 0;
  body += init === "first" ? `let acc = a[base];\n` : `let acc = ${init};\n`;
  body += `for (let j = ${start}; j < ${R}; j++) {\n${decodeJ}const v = a[${at("j")}];\n${combine}\n}\nreturn acc;\n`;
  return kernel(["a"], body);
};

/** sum(x, axes, keepdims). */
export const sumPrimitive: PrimitiveRule<"sum"> = {
  abstractEval([x], p) {
    checkAxes("sum", x!, p.axes);
    if (x!.dtype === "bool") throw new DTypeError("sum", "bool input; cast to int32 or float32 first");
    return { shape: reducedShape(x!.shape, p), dtype: x!.dtype };
  },
  gpujs: ([x], p) => reduceKernel(x!, p, "acc += v;", "0.0"),
};

/** max(x, axes, keepdims). Its gradient is shared equally among tied maxima (as PyTorch's amax). */
export const maxPrimitive: PrimitiveRule<"max"> = {
  abstractEval([x], p) {
    checkAxes("max", x!, p.axes);
    if (x!.dtype === "bool") throw new DTypeError("max", "bool input; cast to int32 or float32 first");
    if (x!.shape.some((d, i) => d === 0 && p.axes.includes(i)))
      throw new ShapeError("max", "reduction over an empty axis");
    return { shape: reducedShape(x!.shape, p), dtype: x!.dtype };
  },
  gpujs: ([x], p) => reduceKernel(x!, p, "acc = Math.max(acc, v);", "first"),
};
