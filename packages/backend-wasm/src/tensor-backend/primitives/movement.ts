import {
  broadcastStrides,
  type KernelInput,
  type KernelOutput,
  type MovementPrimitive,
  sizeOf,
  stridesOf,
} from "@scratchgrad/tensor";
import { fitsStridedKernel } from "../../kernels/strided.js";
import type { WasmRuntime } from "../../runtime/create-runtime.js";
import { stridedCopy } from "../strided.js";
import { allocElements, inputView, type Ptr, ptr, view } from "../views.js";
import type { WasmKernels } from "./kernel.js";

// Kernels of the data-movement primitives (the core's primitives/movement.ts): each is a strided copy.
// reshape aliases its input (no kernel runs); concat runs its GPU.js kernel.

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
      src: src === undefined ? 0 : ptr(src) + 4 * srcOffset,
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
  copyView(rt, x, srcOffset, srcStrides, o, 0, stridesOf(out.shape), out.shape, out.dtype);
  return o;
};

export const movementKernels: WasmKernels<MovementPrimitive> = {
  permute: (rt, [x], { axes }, out) => {
    const s = stridesOf(x!.shape);
    return copyWith(
      rt,
      x!,
      out,
      0,
      axes.map((a) => s[a]!),
    );
  },

  slice: (rt, [x], { starts }, out) => {
    const s = stridesOf(x!.shape);
    return copyWith(
      rt,
      x!,
      out,
      starts.reduce((acc, st, i) => acc + st * s[i]!, 0),
      s,
    );
  },

  broadcastTo: (rt, [x], _params, out) => copyWith(rt, x!, out, 0, broadcastStrides(x!.shape, out.shape)),

  /**
   * The input copied into the box at `before`, and zeros written once around it: along each axis d,
   * the slabs before and after the box, inside the box on the axes before d and full on those after
   * (so a split's gradient pad [B, T, C] -> [B, T, 3C] writes each output element exactly once).
   */
  pad: (rt, [x], { before }, out) => {
    const o = allocElements(rt, sizeOf(out.shape));
    const ds = stridesOf(out.shape);
    const inner = x!.shape;
    const none = inner.map(() => 0);
    let corner = 0; // offset of the box's corner along the axes before d
    for (let d = 0; d < inner.length; d++) {
      const slab = (size: number, from: number) => {
        const shape = out.shape.map((n, i) => (i < d ? inner[i]! : i === d ? size : n));
        if (sizeOf(shape) > 0)
          copyView(rt, undefined, 0, none, o, corner + from * ds[d]!, ds, shape, out.dtype);
      };
      slab(before[d]!, 0);
      slab(out.shape[d]! - before[d]! - inner[d]!, before[d]! + inner[d]!);
      corner += before[d]! * ds[d]!;
    }
    copyView(rt, x!, 0, stridesOf(inner), o, corner, ds, inner, out.dtype);
    return o;
  },
};
