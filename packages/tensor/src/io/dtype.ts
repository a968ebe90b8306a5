/**
 * The safetensors element types we read and write, and the typed array each one decodes to.
 */

/** Element types of a safetensors file (names as written in the header). */
export type SafetensorsDtype =
  | "F64"
  | "F32"
  | "F16"
  | "BF16"
  | "I64"
  | "I32"
  | "I16"
  | "I8"
  | "U64"
  | "U32"
  | "U16"
  | "U8"
  | "BOOL";

/**
 * A tensor as plain data: row-major `data` of `shape`. F16 and BF16 are decoded to `Float32Array`
 * (exactly: every half value is a float32); I64/U64 stay 64-bit as `BigInt64Array`/`BigUint64Array`
 * (see `int64ToInt32`); BOOL is a `Uint8Array` of 0/1.
 */
export type RawTensor =
  | { readonly dtype: "F64"; readonly shape: readonly number[]; readonly data: Float64Array }
  | { readonly dtype: "F32" | "F16" | "BF16"; readonly shape: readonly number[]; readonly data: Float32Array }
  | { readonly dtype: "I64"; readonly shape: readonly number[]; readonly data: BigInt64Array }
  | { readonly dtype: "I32"; readonly shape: readonly number[]; readonly data: Int32Array }
  | { readonly dtype: "I16"; readonly shape: readonly number[]; readonly data: Int16Array }
  | { readonly dtype: "I8"; readonly shape: readonly number[]; readonly data: Int8Array }
  | { readonly dtype: "U64"; readonly shape: readonly number[]; readonly data: BigUint64Array }
  | { readonly dtype: "U32"; readonly shape: readonly number[]; readonly data: Uint32Array }
  | { readonly dtype: "U16"; readonly shape: readonly number[]; readonly data: Uint16Array }
  | { readonly dtype: "U8" | "BOOL"; readonly shape: readonly number[]; readonly data: Uint8Array };

/**
 * What `serializeSafetensors` accepts: any `RawTensor`, or F16/BF16 given as their raw 16-bit
 * patterns (`Uint16Array`), which are written unchanged.
 */
export type RawTensorInput =
  | RawTensor
  | { readonly dtype: "F16" | "BF16"; readonly shape: readonly number[]; readonly data: Uint16Array };

/** Per-dtype facts: bytes per element, and `rank`, the order HF's writer sorts by (descending). */
interface DtypeInfo {
  readonly bytes: 1 | 2 | 4 | 8;
  readonly rank: number;
}

// `rank` is the position in the Rust safetensors `Dtype` enum, whose derived order the writer sorts
// by (largest first, so every tensor's offset stays aligned to its element size).
export const DTYPES: Readonly<Record<SafetensorsDtype, DtypeInfo>> = {
  BOOL: { bytes: 1, rank: 0 },
  U8: { bytes: 1, rank: 1 },
  I8: { bytes: 1, rank: 2 },
  I16: { bytes: 2, rank: 3 },
  U16: { bytes: 2, rank: 4 },
  F16: { bytes: 2, rank: 5 },
  BF16: { bytes: 2, rank: 6 },
  I32: { bytes: 4, rank: 7 },
  U32: { bytes: 4, rank: 8 },
  F32: { bytes: 4, rank: 9 },
  F64: { bytes: 8, rank: 10 },
  I64: { bytes: 8, rank: 11 },
  U64: { bytes: 8, rank: 12 },
};

/** Whether `name` is a dtype this module handles. */
export const isSafetensorsDtype = (name: string): name is SafetensorsDtype => Object.hasOwn(DTYPES, name);

/** True on little-endian hosts (all mainstream ones); safetensors data is little-endian. */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Reverses the bytes of every `size`-byte element of `bytes` in place (for big-endian hosts). */
export const swapBytes = (bytes: Uint8Array, size: number): void => {
  if (size === 1) return;
  for (let at = 0; at + size <= bytes.length; at += size) bytes.subarray(at, at + size).reverse();
};
