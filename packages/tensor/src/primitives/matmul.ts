import { decodeIndex, indexNames, kernel, offsetExpr } from "../backends/gpujs/codegen.js";
import { DTypeError, ShapeError, showShape } from "../core/errors.js";
import { broadcastShapes, broadcastStrides } from "../core/shape.js";
import type { AbstractValue, PrimitiveParams, PrimitiveRule } from "./primitive.js";

// matmul's shape rule and GPU.js kernel (its VJP: ./matmul-vjp.ts).

/** [rows, cols] of op(x): the last two dims, swapped when transposed. */
const opDims = (x: AbstractValue, trans: boolean): [number, number] => {
  const r = x.shape.length;
  const a = x.shape[r - 2]!;
  const b = x.shape[r - 1]!;
  return trans ? [b, a] : [a, b];
};

/** The shapes' batch dims (all but the last two) and their broadcast. */
export const matmulGeometry = (
  a: AbstractValue,
  b: AbstractValue,
  { transA, transB }: PrimitiveParams["matmul"],
) => {
  const [m, k] = opDims(a, transA);
  const [k2, n] = opDims(b, transB);
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  return { m, k, k2, n, batchA, batchB };
};

/**
 * matmul(a, b): batched op(a) · op(b) where op transposes the last two dims when asked. Batch dims
 * broadcast like NumPy. Both operands have rank ≥ 2 (the `matmul` function handles vectors).
 */
export const matmulPrimitive: PrimitiveRule<"matmul"> = {
  abstractEval([a, b], p) {
    if (a!.shape.length < 2 || b!.shape.length < 2) {
      throw new ShapeError(
        "matmul",
        `operands need rank ≥ 2, got ${showShape(a!.shape)} and ${showShape(b!.shape)}`,
      );
    }
    if (a!.dtype !== "float32" || b!.dtype !== "float32")
      throw new DTypeError("matmul", "operands must be float32");
    const { m, k, k2, n, batchA, batchB } = matmulGeometry(a!, b!, p);
    if (k !== k2) {
      throw new ShapeError(
        "matmul",
        `inner dimensions differ: ${showShape(a!.shape)}${p.transA ? "ᵀ" : ""} · ${showShape(b!.shape)}${p.transB ? "ᵀ" : ""} (${k} vs ${k2})`,
      );
    }
    return { shape: [...broadcastShapes("matmul", batchA, batchB), m, n], dtype: "float32" };
  },
  gpujs([a, b], p, out) {
    const { k, batchA, batchB } = matmulGeometry(a!, b!, p);
    const batch = out.shape.slice(0, -2);
    const names = indexNames(batch.length, "o");
    const rank = out.shape.length;
    const ra = a!.shape.length;
    const rb = b!.shape.length;
    // element strides of the last two dims of each operand, in op(·) orientation
    const [aRow, aCol] = p.transA ? [1, a!.shape[ra - 1]!] : [a!.shape[ra - 1]!, 1];
    const [bRow, bCol] = p.transB ? [1, b!.shape[rb - 1]!] : [b!.shape[rb - 1]!, 1];
    const matA = a!.shape[ra - 2]! * a!.shape[ra - 1]!;
    const matB = b!.shape[rb - 2]! * b!.shape[rb - 1]!;
    const baseA = offsetExpr(
      broadcastStrides(batchA, batch).map((s) => s * matA),
      names,
    );
    const baseB = offsetExpr(
      broadcastStrides(batchB, batch).map((s) => s * matB),
      names,
    );
    let body = decodeIndex(out.shape, "this.thread.x", "o");
    body += `const m = o${rank - 2};\nconst n = o${rank - 1};\n`;
    body += `const ia = ${baseA} + m * ${aRow};\nconst ib = ${baseB} + n * ${bCol};\n`;
    body += `let acc = 0.0;\nfor (let k = 0; k < ${k}; k++) {\nacc += a[ia + k * ${aCol}] * b[ib + k * ${bRow}];\n}\nreturn acc;\n`;
    return kernel(["a", "b"], body);
  },
};
