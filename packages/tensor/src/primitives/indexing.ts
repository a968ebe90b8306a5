import { kernel } from "../backends/gpujs/codegen.js";
import { DTypeError, ShapeError, showShape } from "../core/errors.js";
import { sizeOf } from "../core/shape.js";
import type { PrimitiveRule } from "./primitive.js";

// Shape rules and GPU.js kernels of the indexing primitives (their VJPs: ./indexing-vjp.ts).

/** Splits the flat output index into (pre, mid, post) blocks of sizes (_, mid, post). */
const splitIndex = (mid: number, post: number): string =>
  `const post = this.thread.x % ${post};\nconst t = Math.floor(this.thread.x / ${post});\n` +
  `const mid = t % ${mid};\nconst pre = Math.floor(t / ${mid});\n`;

/**
 * gather(x, indices, axis): picks entries of x along `axis` (an embedding lookup for axis 0).
 * Output shape: x.shape[:axis] + indices.shape + x.shape[axis+1:]. Indices must be in range.
 */
export const gatherPrimitive: PrimitiveRule<"gather"> = {
  abstractEval([x, idx], { axis }) {
    if (idx!.dtype !== "int32") throw new DTypeError("gather", `indices must be int32, got ${idx!.dtype}`);
    if (axis < 0 || axis >= x!.shape.length)
      throw new ShapeError("gather", `axis ${axis} out of range for ${showShape(x!.shape)}`);
    const s = x!.shape;
    return { shape: [...s.slice(0, axis), ...idx!.shape, ...s.slice(axis + 1)], dtype: x!.dtype };
  },
  gpujs([x, idx], { axis }) {
    const post = sizeOf(x!.shape.slice(axis + 1));
    const q = Math.max(sizeOf(idx!.shape), 1);
    const n = x!.shape[axis]!;
    return kernel(
      ["a", "ids"],
      `${splitIndex(q, post)}const j = ids[mid];\nreturn a[pre * ${n * post} + j * ${post} + post];\n`,
    );
  },
};

/**
 * scatterAdd(updates, indices, axis, size): the transpose of gather. Output has `size` entries along
 * `axis`; entry v is the sum of the updates whose index equals v (repeated indices accumulate).
 */
export const scatterAddPrimitive: PrimitiveRule<"scatterAdd"> = {
  abstractEval([u, idx], { axis, size }) {
    if (idx!.dtype !== "int32")
      throw new DTypeError("scatterAdd", `indices must be int32, got ${idx!.dtype}`);
    const r = idx!.shape.length;
    const s = u!.shape;
    const mid = s.slice(axis, axis + r);
    if (axis < 0 || axis + r > s.length || mid.some((d, i) => d !== idx!.shape[i])) {
      throw new ShapeError(
        "scatterAdd",
        `updates ${showShape(s)} do not hold indices ${showShape(idx!.shape)} at axis ${axis}`,
      );
    }
    return { shape: [...s.slice(0, axis), size, ...s.slice(axis + r)], dtype: u!.dtype };
  },
  gpujs([u, idx], { axis, size }) {
    const r = idx!.shape.length;
    const post = sizeOf(u!.shape.slice(axis + r));
    const q = sizeOf(idx!.shape);
    return kernel(
      ["u", "ids"],
      `${splitIndex(size, post)}let acc = 0.0;\nfor (let k = 0; k < ${q}; k++) {\n` +
        `if (ids[k] == mid) { acc += u[pre * ${q * post} + k * ${post} + post]; }\n}\nreturn acc;\n`,
    );
  },
};
