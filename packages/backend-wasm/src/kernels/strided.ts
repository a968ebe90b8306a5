// the kernel-free subpath: the runtime loads no tensor core (nor GPU.js)
import { sizeOf, stridesOf } from "@scratchgrad/tensor/shape";
import { checkSpan, type KernelContext, runChunks } from "./context.js";
import type { BinaryOp } from "./elementwise.js";

const MAX_RANK = 6; // the wasm kernels take six dimensions; more are rejected after merging
const SPLIT = { align: 1, minPerThread: 1 << 16 };

/**
 * Drops size-1 dimensions and merges neighbours that every operand walks contiguously
 * (stride[d] == stride[d+1] * shape[d+1]), then left-pads to six dimensions. Fewer, longer rows make
 * the kernels' inner loops long and SIMD-friendly (a contiguous copy collapses to one row).
 */
export function collapseDims(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
): { shape: number[]; strides: number[][] } {
  const dims: { size: number; strides: number[] }[] = [];
  shape.forEach((size, d) => {
    if (size === 1) return;
    const s = strides.map((st) => st[d]!);
    const last = dims.at(-1);
    if (last?.strides.every((st, k) => st === s[k]! * size)) {
      last.size *= size;
      last.strides = s;
    } else dims.push({ size, strides: s });
  });
  while (dims.length < MAX_RANK) dims.unshift({ size: 1, strides: strides.map(() => 0) });
  return { shape: dims.map((d) => d.size), strides: strides.map((_, k) => dims.map((d) => d.strides[k]!)) };
}

function checkShape(kernel: string, shape: readonly number[], strides: readonly (readonly number[])[]): void {
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(`backend-wasm ${kernel}: shape must hold non-negative integers, got [${shape}]`);
  }
  for (const st of strides) {
    if (st.length !== shape.length || !st.every(Number.isInteger)) {
      throw new Error(
        `backend-wasm ${kernel}: strides [${st}] must be ${shape.length} integers for shape [${shape}]`,
      );
    }
  }
}

/** Checks the elements a strided walk touches lie in the heap; returns nothing for empty shapes. */
function checkStridedSpan(
  ctx: KernelContext,
  kernel: string,
  name: string,
  ptr: number,
  shape: readonly number[],
  strides: readonly number[],
): void {
  let lo = 0;
  let hi = 0;
  shape.forEach((size, d) => {
    const reach = strides[d]! * (size - 1);
    if (reach < 0) lo += reach;
    else hi += reach;
  });
  checkSpan(ctx, kernel, name, ptr + lo * 4, (hi - lo + 1) * 4);
}

/** Arguments of {@link stridedCopy}. */
export interface StridedCopyArgs {
  /**
   * Address of element [0, ..., 0] of the source view (negative strides read below it); 0 writes
   * zeros instead (address 0 is never a buffer), e.g. the border of a pad.
   */
  readonly src: number;
  /** Address of element [0, ..., 0] of the destination. */
  readonly dst: number;
  readonly shape: readonly number[];
  /** Source strides in elements (0 broadcasts); ignored when `src` is 0. */
  readonly strides: readonly number[];
  /**
   * Destination strides in elements (default: contiguous row-major `shape`), e.g. the interior box
   * of a pad. Distinct indices must map to distinct elements.
   */
  readonly dstStrides?: readonly number[];
}

/** Whether {@link stridedCopy} takes these views in one call (at most six dimensions after merging). */
export const fitsStridedKernel = (
  shape: readonly number[],
  strides: readonly (readonly number[])[],
): boolean => shape.length <= MAX_RANK || collapseDims(shape, strides).shape.length <= MAX_RANK;

/**
 * Copies a strided view of 4-byte elements (f32 or i32) into a strided destination, by default a
 * contiguous buffer: permute, slice, broadcast, flip, and the interior and border of a pad. Up to 6
 * dimensions after merging contiguous ones.
 *
 * @example
 * // [B, T, H, D] -> [B, H, T, D]
 * rt.stridedCopy({ src: x, dst: y, shape: [B, H, T, D], strides: [T * H * D, D, H * D, 1] });
 * // zeros into the columns [0, 2) of a [R, 5] matrix
 * rt.stridedCopy({ src: 0, dst: y, shape: [R, 2], strides: [0, 0], dstStrides: [5, 1] });
 */
export function stridedCopy(ctx: KernelContext, args: StridedCopyArgs): void {
  const { src, dst, shape } = args;
  const zeros = src === 0;
  const strides = zeros ? shape.map(() => 0) : args.strides;
  const dstStrides = args.dstStrides ?? stridesOf(shape);
  checkShape("stridedCopy", shape, [strides, dstStrides]);
  const n = sizeOf(shape);
  if (n === 0) return;
  if (!zeros) checkStridedSpan(ctx, "stridedCopy", "src", src, shape, strides);
  checkStridedSpan(ctx, "stridedCopy", "dst", dst, shape, dstStrides);
  const c = collapseDims(shape, [strides, dstStrides]);
  if (c.shape.length > MAX_RANK) {
    throw new Error(
      `backend-wasm stridedCopy: [${shape}] does not merge to ${MAX_RANK} dimensions; copy in two steps`,
    );
  }
  const rows = n / c.shape[5]!;
  runChunks(ctx, "stridedCopy", rows, { ...SPLIT, unitCost: c.shape[5]! }, [
    src,
    dst,
    ...c.shape,
    ...c.strides[0]!,
    ...c.strides[1]!,
  ]);
}

/** Arguments of {@link binaryStrided}. */
export interface BinaryStridedArgs {
  readonly op: BinaryOp;
  /** Address of a's element [0, ..., 0]. */
  readonly a: number;
  /** a's strides in elements over `shape` (0 on broadcast dimensions). */
  readonly aStrides: readonly number[];
  readonly b: number;
  readonly bStrides: readonly number[];
  /** Contiguous row-major output of `shape`. */
  readonly out: number;
  readonly shape: readonly number[];
}

const opCodes: Record<BinaryOp, number> = { add: 0, sub: 1, mul: 2, div: 3 };

/**
 * `out[i] = a[i] op b[i]` with arbitrary broadcasting (or any strided views) of a and b: e.g. an
 * attention mask [T, T] over scores [B, H, T, T].
 *
 * @example
 * rt.binaryStrided({ op: "add", a: scores, aStrides: [H * T * T, T * T, T, 1], b: mask,
 *   bStrides: [0, 0, T, 1], out: scores, shape: [B, H, T, T] });
 */
export function binaryStrided(ctx: KernelContext, args: BinaryStridedArgs): void {
  const { a, b, out, shape, aStrides, bStrides } = args;
  checkShape("binaryStrided", shape, [aStrides, bStrides]);
  const code = opCodes[args.op];
  if (code === undefined)
    throw new Error(`backend-wasm binaryStrided: unknown op "${args.op}"; use add, sub, mul or div`);
  const n = sizeOf(shape);
  if (n === 0) return;
  checkStridedSpan(ctx, "binaryStrided", "a", a, shape, aStrides);
  checkStridedSpan(ctx, "binaryStrided", "b", b, shape, bStrides);
  checkSpan(ctx, "binaryStrided", "out", out, n * 4);
  const c = collapseDims(shape, [aStrides, bStrides, stridesOf(shape)]);
  if (c.shape.length > MAX_RANK) {
    throw new Error(`backend-wasm binaryStrided: [${shape}] does not merge to ${MAX_RANK} dimensions`);
  }
  const rows = n / c.shape[5]!;
  runChunks(ctx, "binaryStrided", rows, { ...SPLIT, unitCost: c.shape[5]! }, [
    code,
    a,
    b,
    out,
    ...c.shape,
    ...c.strides[0]!,
    ...c.strides[1]!,
  ]);
}
