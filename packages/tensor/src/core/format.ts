import type { AnyTypedArray, DType } from "./dtype.js";
import type { Shape } from "./shape.js";

const EDGE = 3; // elements shown at each end of a long axis, as NumPy's summarisation does

const formatNumber = (x: number, dtype: DType): string => {
  if (dtype !== "float32") return String(x);
  if (Number.isNaN(x) || !Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  return abs !== 0 && (abs < 1e-4 || abs >= 1e6) ? x.toExponential(4) : x.toFixed(4);
};

/**
 * Pretty-prints a tensor like PyTorch: `tensor([[1.0000, 2.0000], ...], shape=[2, 2], dtype=float32)`,
 * eliding the middle of axes longer than six elements.
 */
export const formatTensor = (shape: Shape, dtype: DType, data: AnyTypedArray): string => {
  const strides: number[] = [];
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  const render = (dim: number, offset: number, indent: string): string => {
    if (dim === shape.length) return formatNumber(data[offset]!, dtype);
    const n = shape[dim]!;
    const idx =
      n > 2 * EDGE
        ? [...Array(EDGE).keys(), -1, ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i)]
        : [...Array(n).keys()];
    const parts = idx.map((i) => (i < 0 ? "..." : render(dim + 1, offset + i * strides[dim]!, `${indent} `)));
    const sep = dim === shape.length - 1 ? ", " : `,\n${indent} `;
    return `[${parts.join(sep)}]`;
  };
  return `tensor(${render(0, 0, "       ")}, shape=[${shape.join(", ")}], dtype=${dtype})`;
};
