import {
  broadcastStrides,
  type ElementwisePrimitive,
  type KernelInput,
  sameShape,
  sizeOf,
  stridesOf,
} from "@scratchgrad/tensor";
import { fitsStridedKernel } from "../../kernels/strided.js";
import { stridedArithmetic, stridedWhere } from "../strided.js";
import { allocElements, flushSubnormals, inputView, ptr, scalarValue, view } from "../views.js";
import type { WasmKernel, WasmKernels } from "./kernel.js";

// Kernels of the elementwise primitives (the core's primitives/elementwise.ts). Primitives not here
// (erf, pow, maximum, comparisons, cast...) run their GPU.js kernels.

type Arithmetic = "add" | "sub" | "mul" | "div";

/** Whether `s` is a row vector of the output's last dim: [C], [1, C], [1, 1, C]... */
const isRowOf = (s: readonly number[], out: readonly number[]): boolean =>
  s.length >= 1 && s[s.length - 1] === out[out.length - 1] && s.slice(0, -1).every((d) => d === 1);

/** Same-shape, scalar and bias-row broadcasting of float32 add/sub/mul/div on SIMD kernels. */
const arithmetic =
  <P extends Arithmetic>(op: P): WasmKernel<P> =>
  (rt, [a, b], _params, out) => {
    if (a!.dtype !== "float32") return undefined;
    const n = sizeOf(out.shape);
    const pa = ptr(a!);
    const pb = ptr(b!);
    if (sameShape(a!.shape, out.shape) && sameShape(b!.shape, out.shape)) {
      const o = allocElements(rt, n);
      rt.binary({ op, a: pa, b: pb, out: o, n });
      return o;
    }
    if (sizeOf(b!.shape) === 1 && sameShape(a!.shape, out.shape)) {
      const o = allocElements(rt, n);
      rt.binaryScalar({ op, a: pa, scalar: scalarValue(rt, b!), out: o, n });
      return o;
    }
    if (sizeOf(a!.shape) === 1 && sameShape(b!.shape, out.shape)) {
      const o = allocElements(rt, n);
      rt.binaryScalar({ op, a: pb, scalar: scalarValue(rt, a!), out: o, n, scalarFirst: true });
      return o;
    }
    const cols = out.shape[out.shape.length - 1]!;
    if (cols > 0 && sameShape(a!.shape, out.shape) && isRowOf(b!.shape, out.shape)) {
      const o = allocElements(rt, n);
      rt.binaryRows({ op, a: pa, b: pb, out: o, rows: n / cols, cols });
      return o;
    }
    if (
      cols > 0 &&
      (op === "add" || op === "mul") &&
      sameShape(b!.shape, out.shape) &&
      isRowOf(a!.shape, out.shape)
    ) {
      const o = allocElements(rt, n);
      rt.binaryRows({ op, a: pb, b: pa, out: o, rows: n / cols, cols });
      return o;
    }
    // any other broadcast (e.g. an attention mask [T, T] over [B, H, T, T])
    const o = allocElements(rt, n);
    const aStrides = broadcastStrides(a!.shape, out.shape);
    const bStrides = broadcastStrides(b!.shape, out.shape);
    if (fitsStridedKernel(out.shape, [aStrides, bStrides, stridesOf(out.shape)])) {
      rt.binaryStrided({ op, a: pa, aStrides, b: pb, bStrides, out: o, shape: out.shape });
    } else {
      const [va, vb] = [inputView(rt, a!), inputView(rt, b!)];
      stridedArithmetic(op, va, aStrides, vb, bStrides, rt.f32(o, n), out.shape);
    }
    return o;
  };

/**
 * A float32 function as a tight JS loop over wasm memory (V8 compiles Math.* to machine code), not a
 * wasm kernel.
 */
const unary =
  <P extends ElementwisePrimitive>(fn: (x: number) => number): WasmKernel<P> =>
  (rt, [x], _params, out) => {
    const n = sizeOf(out.shape);
    const o = allocElements(rt, n);
    const src = rt.f32(ptr(x!), n);
    const dst = rt.f32(o, n);
    for (let i = 0; i < n; i++) dst[i] = fn(src[i]!);
    flushSubnormals(dst); // exp(-100) and friends round to float32 subnormals
    return o;
  };

/** where(cond, a, b) with broadcasting, any dtype of a/b: a JS loop over wasm memory. */
const where: WasmKernel<"where"> = (rt, [c, a, b], _params, out) => {
  const n = sizeOf(out.shape);
  const o = allocElements(rt, n);
  const strides = (x: KernelInput) => broadcastStrides(x.shape, out.shape);
  stridedWhere(
    rt.i32(ptr(c!), sizeOf(c!.shape)),
    strides(c!),
    inputView(rt, a!),
    strides(a!),
    inputView(rt, b!),
    strides(b!),
    view(rt, o, out.dtype, n),
    out.shape,
  );
  return o;
};

export const elementwiseKernels: WasmKernels<ElementwisePrimitive> = {
  add: arithmetic("add"),
  sub: arithmetic("sub"),
  mul: arithmetic("mul"),
  div: arithmetic("div"),
  neg: unary((x) => -x),
  exp: unary(Math.exp),
  log: unary(Math.log),
  sqrt: unary(Math.sqrt),
  rsqrt: unary((x) => 1 / Math.sqrt(x)),
  tanh: unary(Math.tanh),
  abs: unary(Math.abs),
  sign: unary(Math.sign),
  reciprocal: unary((x) => 1 / x),
  sin: unary(Math.sin),
  cos: unary(Math.cos),
  where,
};
