/**
 * Writing the safetensors format the way Hugging Face's `save_file` does, so files compare byte for
 * byte: tensors sorted by dtype (widest first, keeping every offset aligned to its element size) then
 * by name; contiguous offsets from 0; the compact JSON header padded with spaces to a multiple of 8
 * bytes (so the data starts 8-byte aligned); `__metadata__` first when present, keys sorted.
 */
import * as E from "fp-ts/lib/Either.js";
import {
  DTYPES,
  HOST_LITTLE_ENDIAN,
  isSafetensorsDtype,
  type RawTensorInput,
  type SafetensorsDtype,
  swapBytes,
} from "./dtype.js";
import { type SafetensorsError, SafetensorsWriteError } from "./errors.js";
import { float32ToBfloat16, float32ToFloat16 } from "./half.js";

/** The typed array each dtype must be given as (F16/BF16 also accept raw bits as Uint16Array). */
const EXPECTED_DATA: Readonly<
  Record<SafetensorsDtype, readonly (abstract new (...args: any[]) => unknown)[]>
> = {
  F64: [Float64Array],
  F32: [Float32Array],
  F16: [Float32Array, Uint16Array],
  BF16: [Float32Array, Uint16Array],
  I64: [BigInt64Array],
  I32: [Int32Array],
  I16: [Int16Array],
  I8: [Int8Array],
  U64: [BigUint64Array],
  U32: [Uint32Array],
  U16: [Uint16Array],
  U8: [Uint8Array],
  BOOL: [Uint8Array],
};

/** A file ready to write: the header bytes (length prefix included) and each tensor's bytes, in order. */
export interface SafetensorsChunks {
  readonly chunks: readonly Uint8Array[];
  readonly byteLength: number;
}

// Rust compares names as UTF-8 bytes, which is code point order (not JS's UTF-16 order).
const compareCodePoints = (a: string, b: string): number => {
  const x = [...a].map((c) => c.codePointAt(0)!);
  const y = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
};

const invalid = (tensor: string, message: string): E.Either<SafetensorsError, never> =>
  E.left({ _tag: "InvalidTensorData", tensor, message: `tensor ${JSON.stringify(tensor)}: ${message}` });

const checkTensor = (name: string, tensor: RawTensorInput): E.Either<SafetensorsError, number> => {
  if (name === "__metadata__") return invalid(name, "this name is reserved for metadata; rename the tensor.");
  const { dtype, shape, data } = tensor as { dtype: string; shape: unknown; data: unknown };
  if (!isSafetensorsDtype(dtype)) {
    return invalid(
      name,
      `unknown dtype ${JSON.stringify(dtype)}; use one of ${Object.keys(DTYPES).join(", ")}.`,
    );
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    return invalid(name, `shape must be an array of non-negative integers, got ${JSON.stringify(shape)}.`);
  }
  const expected = EXPECTED_DATA[dtype];
  if (!expected.some((ctor) => data instanceof ctor)) {
    const got = (data as object | null)?.constructor?.name ?? String(data);
    return invalid(name, `${dtype} data must be a ${expected.map((c) => c.name).join(" or ")}, got ${got}.`);
  }
  const elements = (shape as number[]).reduce((a, b) => a * b, 1);
  if ((data as ArrayLike<unknown>).length !== elements) {
    return invalid(
      name,
      `shape [${shape.join(", ")}] has ${elements} elements but data has ${(data as ArrayLike<unknown>).length}.`,
    );
  }
  return E.right(elements * DTYPES[dtype].bytes);
};

/** The little-endian bytes of one tensor: a view of its data when possible, else one encoded copy. */
const tensorBytes = (tensor: RawTensorInput): Uint8Array => {
  const { dtype, data } = tensor;
  let typed: ArrayBufferView = data;
  if ((dtype === "F16" || dtype === "BF16") && data instanceof Float32Array) {
    typed = dtype === "F16" ? float32ToFloat16(data) : float32ToBfloat16(data);
  } else if (dtype === "BOOL") {
    typed = (data as Uint8Array).map((v) => (v ? 1 : 0));
  }
  const bytes = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
  if (HOST_LITTLE_ENDIAN) return bytes;
  const copy = bytes.slice();
  swapBytes(copy, DTYPES[dtype].bytes);
  return copy;
};

/**
 * Validates tensors and metadata and lays out the file as chunks, without concatenating them (the file
 * writer streams them, so a 500 MB checkpoint is never copied whole).
 *
 * @example
 * const layout = prepareSafetensors({ a: { dtype: "F32", shape: [2], data: new Float32Array(2) } });
 */
export const prepareSafetensors = (
  tensors: Readonly<Record<string, RawTensorInput>>,
  metadata: Readonly<Record<string, string>> = {},
): E.Either<SafetensorsError, SafetensorsChunks> => {
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== "string") {
      return E.left({
        _tag: "InvalidMetadata",
        message: `metadata ${JSON.stringify(k)} must be a string, got ${typeof v}; use JSON.stringify or String().`,
      });
    }
  }
  const entries = Object.entries(tensors);
  const sizes = new Map<string, number>();
  for (const [name, tensor] of entries) {
    const size = checkTensor(name, tensor);
    if (E.isLeft(size)) return size;
    sizes.set(name, size.right);
  }
  entries.sort(([a, x], [b, y]) => DTYPES[y.dtype].rank - DTYPES[x.dtype].rank || compareCodePoints(a, b));

  // Built by hand: a JS object would move integer-like names ("0", "1") to the front.
  const fields: string[] = [];
  const metadataKeys = Object.keys(metadata).sort(compareCodePoints);
  if (metadataKeys.length > 0) {
    const body = metadataKeys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(metadata[k])}`).join(",");
    fields.push(`"__metadata__":{${body}}`);
  }
  let offset = 0;
  for (const [name, { dtype, shape }] of entries) {
    const end = offset + sizes.get(name)!;
    fields.push(`${JSON.stringify(name)}:${JSON.stringify({ dtype, shape, data_offsets: [offset, end] })}`);
    offset = end;
  }
  const json = new TextEncoder().encode(`{${fields.join(",")}}`);
  const padded = Math.ceil(json.length / 8) * 8;
  const header = new Uint8Array(8 + padded).fill(0x20, 8 + json.length);
  new DataView(header.buffer).setUint32(0, padded, true); // high word stays 0: headers are < 4 GB
  header.set(json, 8);
  const chunks = [header, ...entries.map(([, tensor]) => tensorBytes(tensor))];
  return E.right({ chunks, byteLength: header.length + offset });
};

/**
 * Serialises tensors (and optional string metadata) to safetensors bytes. F16/BF16 tensors given as
 * Float32Array are rounded to nearest even. Throws `SafetensorsWriteError` on invalid input (wrong
 * array type for the dtype, data length not matching the shape, non-string metadata).
 *
 * @example
 * const bytes = serializeSafetensors({ a: { dtype: "F32", shape: [2], data: new Float32Array(2) } });
 */
export const serializeSafetensors = (
  tensors: Readonly<Record<string, RawTensorInput>>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array => {
  const layout = prepareSafetensors(tensors, metadata);
  if (E.isLeft(layout)) throw new SafetensorsWriteError(layout.left);
  const out = new Uint8Array(layout.right.byteLength);
  let at = 0;
  for (const chunk of layout.right.chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
};
