/**
 * 64-bit integer tensors (PyTorch's default integer type, e.g. token ids saved with `torch.long`)
 * narrowed to the int32 our tensors use, and widened back for writing.
 */
import * as E from "fp-ts/lib/Either.js";

/** An I64 value that does not fit in int32; `message` names the index and value. */
export interface Int64OutOfRange {
  readonly _tag: "Int64OutOfRange";
  readonly message: string;
  readonly index: number;
  readonly value: bigint;
}

/**
 * Narrows int64 values to int32, failing on the first value outside [-2^31, 2^31).
 *
 * @example
 * int64ToInt32(new BigInt64Array([1n, -2n])); // right(Int32Array [1, -2])
 * int64ToInt32(new BigInt64Array([2n ** 40n])); // left({ _tag: "Int64OutOfRange", index: 0, ... })
 */
export const int64ToInt32 = (values: BigInt64Array): E.Either<Int64OutOfRange, Int32Array> => {
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < -2147483648n || v > 2147483647n) {
      return E.left({
        _tag: "Int64OutOfRange",
        index: i,
        value: v,
        message: `I64 value ${v} at index ${i} does not fit in int32 [-2^31, 2^31); keep it as BigInt64Array.`,
      });
    }
    out[i] = Number(v);
  }
  return E.right(out);
};

/**
 * Widens int32 values to int64, e.g. to save token ids as PyTorch's `torch.long`.
 *
 * @example
 * serializeSafetensors({ ids: { dtype: "I64", shape: [3], data: int32ToInt64(ids) } });
 */
export const int32ToInt64 = (values: Int32Array): BigInt64Array => {
  const out = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = BigInt(values[i]!);
  return out;
};
