import { checkSizes, checkSpan, type KernelContext, runChunks } from "./context.js";

// Units are stream words (two elements each). Threefry costs ~110 SIMD operations per four words,
// so a second thread pays off from ~16K words; chunks start on eight-word boundaries (the kernel's
// unrolled step of two four-lane groups).
const SPLIT = { align: 8, minPerThread: 1 << 14 };

/** Arguments of {@link dropoutMask}. */
export interface DropoutMaskArgs {
  /** The PRNG key `[hi, lo]`: two uint32 words (a `random.Key` of the tensor package). */
  readonly key: readonly [number, number];
  /** An element is dropped when its 16-bit half of the stream word is below this (0..65536). */
  readonly threshold: number;
  /** The value of kept elements (1/(1 − threshold/65536), rounded to float32). */
  readonly scale: number;
  /** Output: `n` floats. */
  readonly out: number;
  readonly n: number;
}

/**
 * Dropout multipliers, bit for bit those of the tensor package's `randomArrays.dropoutMultiplier`:
 * word w of the key's Threefry-2x32 stream (JAX's partitionable construction, counter w) decides
 * elements 2w (its high 16 bits) and 2w + 1 (its low 16 bits): `0` when the half is below
 * `threshold`, else `scale`. Words are independent, so threads take word ranges.
 *
 * @example
 * const { threshold, scale } = randomArrays.dropoutThreshold(0.1); // 6554, 1.1111...
 * rt.dropoutMask({ key: [0, 42], threshold, scale, out, n: B * T * C });
 */
export function dropoutMask(ctx: KernelContext, args: DropoutMaskArgs): void {
  const { key, threshold, scale, out, n } = args;
  checkSizes("dropoutMask", { n, threshold });
  const [k0, k1] = key;
  for (const [name, word] of [
    ["key[0]", k0],
    ["key[1]", k1],
  ] as const) {
    if (!Number.isInteger(word) || word < 0 || word > 0xffffffff) {
      throw new Error(
        `backend-wasm dropoutMask: ${name} must be a uint32, got ${word}; pass a key from random.key/split/foldIn`,
      );
    }
  }
  if (threshold > 65536) {
    throw new Error(`backend-wasm dropoutMask: threshold must be in [0, 65536], got ${threshold}`);
  }
  checkSpan(ctx, "dropoutMask", "out", out, n * 4);
  runChunks(ctx, "dropoutMask", Math.ceil(n / 2), SPLIT, [k0, k1, threshold, scale, out, n]);
}
