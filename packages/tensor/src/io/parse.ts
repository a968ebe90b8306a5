/**
 * Reading the safetensors format (https://github.com/huggingface/safetensors):
 *
 *   [8 bytes: N, little-endian u64][N bytes: JSON header][data bytes]
 *
 * The header maps each tensor name to `{ dtype, shape, data_offsets: [begin, end] }` (offsets into the
 * data bytes) plus an optional `"__metadata__": { string: string }`. Like the reference reader we
 * require the tensors to tile the data bytes exactly: sorted by offset, each begins where the previous
 * ends, and the last ends at the end of the file. Any byte string gives a `Right` or a `Left`; the
 * parser never throws.
 */
import * as E from "fp-ts/lib/Either.js";
import {
  DTYPES,
  HOST_LITTLE_ENDIAN,
  isSafetensorsDtype,
  type RawTensor,
  type SafetensorsDtype,
  swapBytes,
} from "./dtype.js";
import { MAX_HEADER_LENGTH, type SafetensorsError } from "./errors.js";
import { bfloat16ToFloat32, float16ToFloat32 } from "./half.js";

/** A parsed file: tensors by name, and the `__metadata__` strings (empty when absent). */
export interface ParsedSafetensors {
  readonly tensors: Record<string, RawTensor>;
  readonly metadata: Record<string, string>;
}

interface TensorEntry {
  readonly name: string;
  readonly dtype: SafetensorsDtype;
  readonly shape: number[];
  readonly begin: number;
  readonly end: number;
}

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !Array.isArray(x);

const isSize = (x: unknown): x is number => typeof x === "number" && Number.isSafeInteger(x) && x >= 0;

const show = (x: unknown): string => {
  const text = JSON.stringify(x) ?? String(x);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

const tensorError = <T extends "InvalidTensorInfo" | "ShapeOffsetMismatch" | "OffsetsOutOfBounds">(
  _tag: T,
  tensor: string,
  message: string,
) => E.left({ _tag, tensor, message: `tensor ${JSON.stringify(tensor)}: ${message}` } as SafetensorsError);

/** Validates one header entry (everything checkable without looking at the other entries). */
const readEntry = (
  name: string,
  info: unknown,
  dataLength: number,
): E.Either<SafetensorsError, TensorEntry> => {
  if (!isRecord(info)) {
    return tensorError(
      "InvalidTensorInfo",
      name,
      `expected { dtype, shape, data_offsets }, got ${show(info)}.`,
    );
  }
  const { dtype, shape, data_offsets: offsets } = info;
  if (typeof dtype !== "string") {
    return tensorError("InvalidTensorInfo", name, `"dtype" must be a string, got ${show(dtype)}.`);
  }
  if (!isSafetensorsDtype(dtype)) {
    return E.left({
      _tag: "UnknownDtype",
      tensor: name,
      dtype,
      message:
        `tensor ${JSON.stringify(name)}: unsupported dtype ${JSON.stringify(dtype)}; supported: ` +
        `${Object.keys(DTYPES).join(", ")}. Convert it in Python first, e.g. t.float().`,
    });
  }
  if (!Array.isArray(shape) || !shape.every(isSize)) {
    return tensorError(
      "InvalidTensorInfo",
      name,
      `"shape" must be an array of non-negative integers, got ${show(shape)}.`,
    );
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isSize) || offsets[0] > offsets[1]) {
    return tensorError(
      "InvalidTensorInfo",
      name,
      `"data_offsets" must be [begin, end] with integers 0 <= begin <= end, got ${show(offsets)}.`,
    );
  }
  const [begin, end] = offsets as [number, number];
  const elements = shape.reduce((a: number, b: number) => a * b, 1);
  const byteLength = elements * DTYPES[dtype].bytes;
  if (!Number.isSafeInteger(byteLength)) {
    return tensorError("InvalidTensorInfo", name, `shape ${show(shape)} is too large to address.`);
  }
  if (end - begin !== byteLength) {
    return tensorError(
      "ShapeOffsetMismatch",
      name,
      `shape ${show(shape)} of ${dtype} needs ${byteLength} bytes but data_offsets [${begin}, ${end}] ` +
        `span ${end - begin}; the header does not describe this data.`,
    );
  }
  if (end > dataLength) {
    return tensorError(
      "OffsetsOutOfBounds",
      name,
      `data_offsets [${begin}, ${end}] go past the ${dataLength} data bytes; the file is probably truncated.`,
    );
  }
  return E.right({ name, dtype, shape: shape.slice(), begin, end });
};

/** Checks that the entries, sorted by offset, tile [0, dataLength) with no gap or overlap. */
const checkTiling = (
  entries: TensorEntry[],
  dataLength: number,
): E.Either<SafetensorsError, TensorEntry[]> => {
  const sorted = entries.slice().sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  let previous = "";
  for (const entry of sorted) {
    const where = `tensor ${JSON.stringify(entry.name)}: data_offsets [${entry.begin}, ${entry.end}]`;
    if (entry.begin < expected) {
      return E.left({
        _tag: "OverlappingOffsets",
        tensor: entry.name,
        message: `${where} overlap tensor ${JSON.stringify(previous)}, which ends at ${expected}.`,
      });
    }
    if (entry.begin > expected) {
      return E.left({
        _tag: "NonContiguousOffsets",
        tensor: entry.name,
        message: `${where} leave a gap: the previous tensor ends at ${expected}; offsets must be contiguous.`,
      });
    }
    expected = entry.end;
    previous = entry.name;
  }
  if (expected !== dataLength) {
    return E.left({
      _tag: "TrailingBytes",
      message: `the tensors cover ${expected} data bytes but the file has ${dataLength}; it has trailing bytes.`,
    });
  }
  return E.right(sorted);
};

/**
 * The bytes [at, at + length) as a typed array of `size`-byte elements: a view into `bytes` when the
 * address is aligned (no copy), else one copy. Byte-swapped on big-endian hosts.
 */
const elementsAt = <T>(
  bytes: Uint8Array,
  at: number,
  length: number,
  size: number,
  make: (buffer: ArrayBufferLike, byteOffset: number, count: number) => T,
): T => {
  const address = bytes.byteOffset + at;
  if (HOST_LITTLE_ENDIAN && address % size === 0) return make(bytes.buffer, address, length / size);
  const copy = new Uint8Array(length);
  copy.set(bytes.subarray(at, at + length));
  if (!HOST_LITTLE_ENDIAN) swapBytes(copy, size);
  return make(copy.buffer, 0, length / size);
};

const decode = (bytes: Uint8Array, dataStart: number, entry: TensorEntry): RawTensor => {
  const { dtype, shape } = entry;
  const at = dataStart + entry.begin;
  const length = entry.end - entry.begin;
  switch (dtype) {
    case "F64":
      return { dtype, shape, data: elementsAt(bytes, at, length, 8, (b, o, n) => new Float64Array(b, o, n)) };
    case "F32":
      return { dtype, shape, data: elementsAt(bytes, at, length, 4, (b, o, n) => new Float32Array(b, o, n)) };
    case "F16":
      return {
        dtype,
        shape,
        data: float16ToFloat32(elementsAt(bytes, at, length, 2, (b, o, n) => new Uint16Array(b, o, n))),
      };
    case "BF16":
      return {
        dtype,
        shape,
        data: bfloat16ToFloat32(elementsAt(bytes, at, length, 2, (b, o, n) => new Uint16Array(b, o, n))),
      };
    case "I64":
      return {
        dtype,
        shape,
        data: elementsAt(bytes, at, length, 8, (b, o, n) => new BigInt64Array(b, o, n)),
      };
    case "I32":
      return { dtype, shape, data: elementsAt(bytes, at, length, 4, (b, o, n) => new Int32Array(b, o, n)) };
    case "I16":
      return { dtype, shape, data: elementsAt(bytes, at, length, 2, (b, o, n) => new Int16Array(b, o, n)) };
    case "I8":
      return { dtype, shape, data: new Int8Array(bytes.buffer, bytes.byteOffset + at, length) };
    case "U64":
      return {
        dtype,
        shape,
        data: elementsAt(bytes, at, length, 8, (b, o, n) => new BigUint64Array(b, o, n)),
      };
    case "U32":
      return { dtype, shape, data: elementsAt(bytes, at, length, 4, (b, o, n) => new Uint32Array(b, o, n)) };
    case "U16":
      return { dtype, shape, data: elementsAt(bytes, at, length, 2, (b, o, n) => new Uint16Array(b, o, n)) };
    case "U8":
    case "BOOL":
      return { dtype, shape, data: new Uint8Array(bytes.buffer, bytes.byteOffset + at, length) };
  }
};

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Parses a safetensors file held in memory. Tensors whose data is aligned are views into `bytes`
 * (no copy: mutating one mutates `bytes`); F16/BF16 are decoded to new Float32Arrays.
 *
 * @example
 * const parsed = parseSafetensors(bytes);
 * if (E.isRight(parsed)) parsed.right.tensors["wte.weight"]; // { dtype: "F32", shape: [50257, 768], data }
 * else console.error(parsed.left.message);
 */
export const parseSafetensors = (bytes: Uint8Array): E.Either<SafetensorsError, ParsedSafetensors> => {
  if (bytes.length < 8) {
    return E.left({
      _tag: "FileTooSmall",
      fileLength: bytes.length,
      message: `file has ${bytes.length} bytes; a safetensors file starts with an 8-byte header length.`,
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  const headerLength = view.getUint32(0, true) + view.getUint32(4, true) * 4294967296;
  if (headerLength > MAX_HEADER_LENGTH) {
    return E.left({
      _tag: "HeaderTooLarge",
      headerLength,
      message: `header length ${headerLength} exceeds the ${MAX_HEADER_LENGTH}-byte limit; this is not a safetensors file.`,
    });
  }
  if (headerLength > bytes.length - 8) {
    return E.left({
      _tag: "HeaderLengthOutOfBounds",
      headerLength,
      fileLength: bytes.length,
      message:
        `header length ${headerLength} goes past the end of the ${bytes.length}-byte file; ` +
        "the file is truncated or not safetensors.",
    });
  }
  let header: unknown;
  try {
    const text = utf8.decode(bytes.subarray(8, 8 + headerLength));
    try {
      header = JSON.parse(text);
    } catch (e) {
      return E.left({
        _tag: "InvalidHeaderJson",
        message: `header is not valid JSON: ${(e as Error).message}`,
      });
    }
  } catch {
    return E.left({
      _tag: "InvalidHeaderUtf8",
      message: "header is not valid UTF-8; this is not a safetensors file.",
    });
  }
  if (!isRecord(header)) {
    return E.left({
      _tag: "InvalidHeaderJson",
      message: `header must be a JSON object, got ${show(header)}.`,
    });
  }
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  let metadata: Record<string, string> = {};
  const entries: TensorEntry[] = [];
  for (const [name, info] of Object.entries(header)) {
    if (name === "__metadata__") {
      if (!isRecord(info) || !Object.values(info).every((v) => typeof v === "string")) {
        return E.left({
          _tag: "InvalidMetadata",
          message: `"__metadata__" must map strings to strings, got ${show(info)}.`,
        });
      }
      metadata = Object.fromEntries(Object.entries(info as Record<string, string>));
      continue;
    }
    const entry = readEntry(name, info, dataLength);
    if (E.isLeft(entry)) return entry;
    entries.push(entry.right);
  }
  const tiled = checkTiling(entries, dataLength);
  if (E.isLeft(tiled)) return tiled;
  // fromEntries defines own properties, so a tensor named "__proto__" is just a tensor.
  const tensors = Object.fromEntries(
    tiled.right.map((entry) => [entry.name, decode(bytes, dataStart, entry)]),
  );
  return E.right({ tensors, metadata });
};
