import type { KernelInput, KernelOutput, Primitive } from "@scratchgrad/tensor";
import { fitsStridedKernel } from "../kernels/strided.js";
import type { WasmRuntime } from "../runtime/create-runtime.js";
import { runMatmul } from "./matmul.js";
import {
  broadcastStridesOf,
  contiguousStrides,
  stridedArithmetic,
  stridedCopy,
  stridedWhere,
} from "./strided.js";
import { allocElements, flushSubnormals, inputView, type Ptr, scalarValue, sizeOf, view } from "./views.js";

/**
 * A wasm kernel for one primitive, or `undefined` when these inputs are not a case it handles (the
 * GPU.js fallback runs then). Each returns the address of a new buffer holding the result.
 */
export type FastPath = (
  rt: WasmRuntime,
  inputs: readonly KernelInput[],
  params: never,
  output: KernelOutput,
) => Ptr | undefined;

type Arith = "add" | "sub" | "mul" | "div";

const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/** Whether `s` is a row vector of the output's last dim: [C], [1, C], [1, 1, C]... */
const isRowOf = (s: readonly number[], out: readonly number[]): boolean =>
  s.length >= 1 && s[s.length - 1] === out[out.length - 1] && s.slice(0, -1).every((d) => d === 1);

/** Same-shape, scalar and bias-row broadcasting of float32 add/sub/mul/div on SIMD kernels. */
const arithmetic =
  (op: Arith): FastPath =>
  (rt, [a, b], _p, out) => {
    if (a!.dtype !== "float32") return undefined;
    const n = sizeOf(out.shape);
    const pa = a!.buffer as Ptr;
    const pb = b!.buffer as Ptr;
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
    const aStrides = broadcastStridesOf(a!.shape, out.shape);
    const bStrides = broadcastStridesOf(b!.shape, out.shape);
    if (fitsStridedKernel(out.shape, [aStrides, bStrides, contiguousStrides(out.shape)])) {
      rt.binaryStrided({ op, a: pa, aStrides, b: pb, bStrides, out: o, shape: out.shape });
    } else {
      const [va, vb] = [inputView(rt, a!), inputView(rt, b!)];
      stridedArithmetic(op, va, aStrides, vb, bStrides, rt.f32(o, n), out.shape);
    }
    return o;
  };

/**
 * Copies `shape` elements of `src` (read at `srcOffset` with `srcStrides`) to `dst` (written at
 * `dstOffset` with `dstStrides`), on the wasm kernel split over threads when it takes the view (at
 * most six dimensions after merging), else with the JS loop. `src` undefined writes zeros (pass zero
 * `srcOffset` and `srcStrides` then).
 */
const copyView = (
  rt: WasmRuntime,
  src: KernelInput | undefined,
  srcOffset: number,
  srcStrides: readonly number[],
  dst: Ptr,
  dstOffset: number,
  dstStrides: readonly number[],
  shape: readonly number[],
  dtype: KernelOutput["dtype"],
): void => {
  if (fitsStridedKernel(shape, [srcStrides, dstStrides])) {
    rt.stridedCopy({
      src: src === undefined ? 0 : (src.buffer as Ptr) + 4 * srcOffset,
      dst: dst + 4 * dstOffset,
      shape,
      strides: srcStrides,
      dstStrides,
    });
    return;
  }
  const n = sizeOf(shape);
  const reach = shape.reduce((acc, d, i) => acc + (d - 1) * dstStrides[i]!, dstOffset + 1);
  const to = view(rt, dst, dtype, n === 0 ? 0 : reach);
  // zeros: read one zero element with the (all-zero) source strides
  const from = src === undefined ? new Int32Array(1) : inputView(rt, src);
  stridedCopy(from, srcOffset, srcStrides, to, dstOffset, dstStrides, shape);
};

/** A strided copy of the input into a new contiguous buffer of the output's shape. */
const copyWith = (
  rt: WasmRuntime,
  x: KernelInput,
  out: KernelOutput,
  srcOffset: number,
  srcStrides: readonly number[],
): Ptr => {
  const o = allocElements(rt, sizeOf(out.shape));
  copyView(rt, x, srcOffset, srcStrides, o, 0, contiguousStrides(out.shape), out.shape, out.dtype);
  return o;
};

const permute: FastPath = (rt, [x], p: { axes: readonly number[] }, out) => {
  const s = contiguousStrides(x!.shape);
  return copyWith(
    rt,
    x!,
    out,
    0,
    p.axes.map((a) => s[a]!),
  );
};

const slice: FastPath = (rt, [x], p: { starts: readonly number[] }, out) => {
  const s = contiguousStrides(x!.shape);
  return copyWith(
    rt,
    x!,
    out,
    p.starts.reduce((acc, st, i) => acc + st * s[i]!, 0),
    s,
  );
};

const broadcastTo: FastPath = (rt, [x], _p, out) =>
  copyWith(rt, x!, out, 0, broadcastStridesOf(x!.shape, out.shape));

/**
 * The input copied into the box at `before`, and zeros written once around it: along each axis d,
 * the slabs before and after the box, inside the box on the axes before d and full on those after
 * (so a split's gradient pad [B, T, C] -> [B, T, 3C] writes each output element exactly once).
 */
const pad: FastPath = (rt, [x], p: { before: readonly number[] }, out) => {
  const o = allocElements(rt, sizeOf(out.shape));
  const ds = contiguousStrides(out.shape);
  const inner = x!.shape;
  const none = inner.map(() => 0);
  let corner = 0; // offset of the box's corner along the axes before d
  for (let d = 0; d < inner.length; d++) {
    const slab = (size: number, from: number) => {
      const shape = out.shape.map((n, i) => (i < d ? inner[i]! : i === d ? size : n));
      if (sizeOf(shape) > 0)
        copyView(rt, undefined, 0, none, o, corner + from * ds[d]!, ds, shape, out.dtype);
    };
    slab(p.before[d]!, 0);
    slab(out.shape[d]! - p.before[d]! - inner[d]!, p.before[d]! + inner[d]!);
    corner += p.before[d]! * ds[d]!;
  }
  copyView(rt, x!, 0, contiguousStrides(inner), o, corner, ds, inner, out.dtype);
  return o;
};

/**
 * Sums of float32 tensors over trailing axes (row sums, on the SIMD kernel) or over leading axes
 * (column sums, e.g. bias gradients over [B, T]: a GEMM with a ones vector).
 */
const sum: FastPath = (rt, [x], p: { axes: readonly number[] }, out) => {
  if (x!.dtype !== "float32" || p.axes.length === 0) return undefined;
  const r = x!.shape.length;
  const total = sizeOf(x!.shape);
  const reduced = sizeOf(p.axes.map((a) => x!.shape[a]!));
  const kept = total / Math.max(reduced, 1);
  const o = allocElements(rt, sizeOf(out.shape));
  if (total === 0) {
    rt.f32(o, sizeOf(out.shape)).fill(0);
    return o;
  }
  const trailing = p.axes.every((a, i) => a === r - p.axes.length + i);
  const leading = p.axes.every((a, i) => a === i);
  if (trailing) {
    rt.sumLastAxis({ x: x!.buffer as Ptr, out: o, rows: kept, cols: reduced });
    return o;
  }
  if (leading) {
    const ones = allocElements(rt, reduced);
    rt.f32(ones, reduced).fill(1);
    rt.gemm({ m: 1, n: kept, k: reduced, a: ones, b: x!.buffer as Ptr, c: o });
    rt.free(ones);
    return o;
  }
  rt.free(o);
  return undefined;
};

/** Elementwise float32 functions as tight JS loops over wasm memory (V8 compiles Math.* to machine code). */
const UNARY: Partial<Record<Primitive, (x: number) => number>> = {
  neg: (x) => -x,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  tanh: Math.tanh,
  abs: Math.abs,
  sign: Math.sign,
  reciprocal: (x) => 1 / x,
  sin: Math.sin,
  cos: Math.cos,
};

const unary =
  (fn: (x: number) => number): FastPath =>
  (rt, [x], _p, out) => {
    const n = sizeOf(out.shape);
    const o = allocElements(rt, n);
    const src = rt.f32(x!.buffer as Ptr, n);
    const dst = rt.f32(o, n);
    for (let i = 0; i < n; i++) dst[i] = fn(src[i]!);
    flushSubnormals(dst); // exp(-100) and friends round to float32 subnormals
    return o;
  };

/** where(cond, a, b) with broadcasting, any dtype of a/b. */
const where: FastPath = (rt, [c, a, b], _p, out) => {
  const n = sizeOf(out.shape);
  const o = allocElements(rt, n);
  const bs = (x: KernelInput) => broadcastStridesOf(x.shape, out.shape);
  stridedWhere(
    rt.i32(c!.buffer as Ptr, sizeOf(c!.shape)),
    bs(c!),
    inputView(rt, a!),
    bs(a!),
    inputView(rt, b!),
    bs(b!),
    view(rt, o, out.dtype, n),
    out.shape,
  );
  return o;
};

/** Embedding lookup: gather along axis 0 of a float32 table. */
const gather: FastPath = (rt, [table, ids], p: { axis: number }, out) => {
  if (p.axis !== 0 || table!.dtype !== "float32") return undefined;
  const vocab = table!.shape[0]!;
  const dim = sizeOf(table!.shape.slice(1));
  const rows = sizeOf(ids!.shape);
  const o = allocElements(rt, sizeOf(out.shape));
  rt.embeddingGather({ table: table!.buffer as Ptr, ids: ids!.buffer as Ptr, out: o, rows, dim, vocab });
  return o;
};

/** Embedding gradient: scatter-add along axis 0 into zeros. */
const scatterAdd: FastPath = (rt, [updates, ids], p: { axis: number; size: number }, out) => {
  if (p.axis !== 0 || updates!.dtype !== "float32") return undefined;
  const rows = sizeOf(ids!.shape);
  const dim = sizeOf(out.shape.slice(1));
  const n = sizeOf(out.shape);
  const o = allocElements(rt, n);
  // zeros by wasm memory.fill: a typed-array fill over shared memory is several times slower
  rt.stridedCopy({ src: 0, dst: o, shape: [n], strides: [0] });
  rt.embeddingScatterAdd({
    dout: updates!.buffer as Ptr,
    ids: ids!.buffer as Ptr,
    dtable: o,
    rows,
    dim,
    vocab: p.size,
  });
  return o;
};

export const fastPaths: Partial<Record<Primitive, FastPath>> = {
  ...Object.fromEntries(Object.entries(UNARY).map(([name, fn]) => [name, unary(fn)])),
  matmul: runMatmul as FastPath,
  add: arithmetic("add"),
  sub: arithmetic("sub"),
  mul: arithmetic("mul"),
  div: arithmetic("div"),
  sum: sum as FastPath,
  gather: gather as FastPath,
  where,
  permute: permute as FastPath,
  slice: slice as FastPath,
  pad: pad as FastPath,
  broadcastTo,
  scatterAdd: scatterAdd as FastPath,
};
