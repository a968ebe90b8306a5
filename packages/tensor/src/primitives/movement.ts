import { decodeIndex, indexNames, kernel, offsetExpr } from "../backends/gpujs/codegen.js";
import { ShapeError, showShape } from "../core/errors.js";
import { broadcastShapes, broadcastStrides, sameShape, sizeOf, stridesOf } from "../core/shape.js";
import type { PrimitiveRule } from "./primitive.js";

// Shape rules and GPU.js kernels of the movement primitives (their VJPs: ./movement-vjp.ts).

const copyKernel = (): string => kernel(["a"], "return a[this.thread.x];\n");

/** reshape(x, shape): same elements in row-major order, another shape. Shares x's buffer. */
export const reshapePrimitive: PrimitiveRule<"reshape"> = {
  abstractEval([x], { shape }) {
    if (sizeOf(shape) !== sizeOf(x!.shape)) {
      throw new ShapeError(
        "reshape",
        `cannot reshape ${showShape(x!.shape)} (${sizeOf(x!.shape)} elements) to ${showShape(shape)}`,
      );
    }
    return { shape, dtype: x!.dtype };
  },
  gpujs: copyKernel,
  aliases: true,
};

/** permute(x, axes): output dim i is input dim axes[i]. */
export const permutePrimitive: PrimitiveRule<"permute"> = {
  abstractEval([x], { axes }) {
    const r = x!.shape.length;
    const ok = axes.length === r && [...axes].sort((a, b) => a - b).every((a, i) => a === i);
    if (!ok)
      throw new ShapeError(
        "permute",
        `axes [${axes.join(", ")}] are not a permutation of the ${r} dims of ${showShape(x!.shape)}`,
      );
    return { shape: axes.map((a) => x!.shape[a]!), dtype: x!.dtype };
  },
  gpujs([x], { axes }, out) {
    const inStrides = stridesOf(x!.shape);
    const strides = axes.map((a) => inStrides[a]!);
    return kernel(
      ["a"],
      `${decodeIndex(out.shape, "this.thread.x", "o")}return a[${offsetExpr(strides, indexNames(axes.length, "o"))}];\n`,
    );
  },
};

/** broadcastTo(x, shape): NumPy broadcasting made explicit. The engine sums the cotangent back. */
export const broadcastToPrimitive: PrimitiveRule<"broadcastTo"> = {
  abstractEval([x], { shape }) {
    const b = broadcastShapes("broadcastTo", x!.shape, shape);
    if (!sameShape(b, shape))
      throw new ShapeError("broadcastTo", `cannot broadcast ${showShape(x!.shape)} to ${showShape(shape)}`);
    return { shape, dtype: x!.dtype };
  },
  gpujs([x], _p, out) {
    const strides = broadcastStrides(x!.shape, out.shape);
    return kernel(
      ["a"],
      `${decodeIndex(out.shape, "this.thread.x", "o")}return a[${offsetExpr(strides, indexNames(out.shape.length, "o"))}];\n`,
    );
  },
};

/** slice(x, starts, ends): the box starts[i] ≤ index < ends[i] along every axis (step 1). */
export const slicePrimitive: PrimitiveRule<"slice"> = {
  abstractEval([x], { starts, ends }) {
    const s = x!.shape;
    if (starts.length !== s.length || ends.length !== s.length) {
      throw new ShapeError("slice", `starts/ends need ${s.length} entries for ${showShape(s)}`);
    }
    s.forEach((d, i) => {
      if (!(0 <= starts[i]! && starts[i]! <= ends[i]! && ends[i]! <= d)) {
        throw new ShapeError(
          "slice",
          `range [${starts[i]}, ${ends[i]}) out of bounds for axis ${i} of ${showShape(s)}`,
        );
      }
    });
    return { shape: s.map((_, i) => ends[i]! - starts[i]!), dtype: x!.dtype };
  },
  gpujs([x], { starts }, out) {
    const strides = stridesOf(x!.shape);
    const base = starts.reduce((acc, s, i) => acc + s * strides[i]!, 0);
    const off = offsetExpr(strides, indexNames(strides.length, "o"), base ? String(base) : "");
    return kernel(["a"], `${decodeIndex(out.shape, "this.thread.x", "o")}return a[${off}];\n`);
  },
};

/** pad(x, before, after): zeros around x (the transpose of slice). */
export const padPrimitive: PrimitiveRule<"pad"> = {
  abstractEval([x], { before, after }) {
    const s = x!.shape;
    if (
      before.length !== s.length ||
      after.length !== s.length ||
      [...before, ...after].some((w) => !(w >= 0))
    ) {
      throw new ShapeError("pad", `before/after need ${s.length} non-negative entries for ${showShape(s)}`);
    }
    return { shape: s.map((d, i) => d + before[i]! + after[i]!), dtype: x!.dtype };
  },
  gpujs([x], { before }, out) {
    const s = x!.shape;
    const conds = s.flatMap((d, i) =>
      before[i] === 0 && d === out.shape[i] ? [] : [`o${i} < ${before[i]}`, `o${i} >= ${before[i]! + d}`],
    );
    const strides = stridesOf(s);
    const base = -before.reduce((acc, b, i) => acc + b * strides[i]!, 0);
    const off = offsetExpr(strides, indexNames(s.length, "o"), base ? `(${base})` : "");
    const guard = conds.length ? `if (${conds.join(" || ")}) { return 0.0; }\n` : "";
    return kernel(["a"], `${decodeIndex(out.shape, "this.thread.x", "o")}${guard}return a[${off}];\n`);
  },
};

/** concat(xs, axis): inputs joined along `axis`; all other dims equal. */
export const concatPrimitive: PrimitiveRule<"concat"> = {
  abstractEval(inputs, { axis }) {
    const first = inputs[0]!;
    if (axis < 0 || axis >= first.shape.length)
      throw new ShapeError("concat", `axis ${axis} out of range for ${showShape(first.shape)}`);
    let total = 0;
    for (const x of inputs) {
      const ok =
        x.shape.length === first.shape.length && x.shape.every((d, i) => i === axis || d === first.shape[i]);
      if (!ok || x.dtype !== first.dtype) {
        throw new ShapeError(
          "concat",
          `shapes ${inputs.map((i) => showShape(i.shape)).join(", ")} differ off axis ${axis} (or dtypes differ)`,
        );
      }
      total += x.shape[axis]!;
    }
    return { shape: first.shape.map((d, i) => (i === axis ? total : d)), dtype: first.dtype };
  },
  gpujs(inputs, { axis }, out) {
    const names = indexNames(out.shape.length, "o");
    let body = decodeIndex(out.shape, "this.thread.x", "o");
    let start = 0;
    inputs.forEach((x, j) => {
      const strides = stridesOf(x.shape);
      const local = names.map((n, i) => (i === axis ? `(${n} - ${start})` : n));
      const read = `return x${j}[${offsetExpr(strides, local)}];\n`;
      start += x.shape[axis]!;
      body += j === inputs.length - 1 ? read : `if (o${axis} < ${start}) { ${read}}\n`;
    });
    return kernel(
      inputs.map((_, j) => `x${j}`),
      body,
    );
  },
};
