/**
 * The float32 subset of the safetensors format that checkpoints need:
 *
 *   [8 bytes: header length N, little-endian u64][N bytes: JSON header, space-padded][tensor bytes]
 *
 * Header entries are `{ dtype, shape, data_offsets: [begin, end] }` plus `"__metadata__"`. We write what
 * Hugging Face's writer writes for an all-F32 model: tensors sorted by name, `{ "format": "pt" }` metadata
 * (transformers refuses archives without a known format), the header padded to 8 bytes.
 *
 * A minimal local helper: the general reader/writer in @scratchgrad/tensor's `io/` is not exported from
 * that package yet; swap to it once it is.
 */
import * as E from "fp-ts/lib/Either.js";
import type { CheckpointError } from "./errors.js";

/** A named float32 tensor as host data. */
export interface HostTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

const invalid = (message: string): E.Either<CheckpointError, never> =>
  E.left({ _tag: "InvalidSafetensors", message: `safetensors: ${message}` });

/**
 * The file's bytes as chunks (header, then each tensor's data), ready to stream to disk.
 * @example const chunks = encodeSafetensors(new Map([["w", { shape: [2], data: new Float32Array([1, 2]) }]]));
 */
export const encodeSafetensors = (
  tensors: ReadonlyMap<string, HostTensor>,
  metadata: Readonly<Record<string, string>> = { format: "pt" },
): Uint8Array[] => {
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const name of names) {
    const t = tensors.get(name)!;
    const bytes = t.data.length * 4;
    header[name] = { dtype: "F32", shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - (json.length % 8)) % 8); // JSON.stringify of ASCII names: 1 char = 1 byte
  const headerBytes = new TextEncoder().encode(json);
  const prefix = new Uint8Array(8 + headerBytes.length);
  new DataView(prefix.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  prefix.set(headerBytes, 8);
  return [
    prefix,
    ...names.map(
      (n) =>
        new Uint8Array(
          tensors.get(n)!.data.buffer,
          tensors.get(n)!.data.byteOffset,
          tensors.get(n)!.data.byteLength,
        ),
    ),
  ];
};

/**
 * Parses a safetensors file holding F32 tensors (any other dtype is an `UnsupportedDtype` error).
 * @example const tensors = decodeSafetensors(await readFile("model.safetensors"));
 */
export const decodeSafetensors = (bytes: Uint8Array): E.Either<CheckpointError, Map<string, HostTensor>> => {
  if (bytes.length < 8) return invalid(`file of ${bytes.length} bytes is too small for a header.`);
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (n > bytes.length - 8) return invalid(`header length ${n} exceeds the file (${bytes.length} bytes).`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    return invalid(`header is not valid UTF-8 JSON (${e instanceof Error ? e.message : String(e)}).`);
  }
  if (typeof header !== "object" || header === null || Array.isArray(header))
    return invalid("header is not a JSON object.");
  const data = bytes.subarray(8 + n);
  const out = new Map<string, HostTensor>();
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") continue;
    const { dtype, shape, data_offsets: offsets } = (info ?? {}) as Record<string, unknown>;
    if (dtype !== "F32") {
      return E.left({
        _tag: "UnsupportedDtype",
        key: name,
        dtype: String(dtype),
        message: `${name}: dtype ${String(dtype)} is not supported; checkpoints must be float32 (in Python: model.float().save_pretrained(dir)).`,
      });
    }
    const validShape = Array.isArray(shape) && shape.every((d) => Number.isSafeInteger(d) && d >= 0);
    const validOffsets =
      Array.isArray(offsets) && offsets.length === 2 && offsets.every((o) => Number.isSafeInteger(o));
    if (!validShape || !validOffsets) return invalid(`${name}: malformed shape or data_offsets.`);
    const [begin, end] = offsets as [number, number];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (begin < 0 || end > data.length || end - begin !== count * 4) {
      return invalid(
        `${name}: data_offsets [${begin}, ${end}] do not hold ${count} float32 values within ${data.length} data bytes.`,
      );
    }
    // Copy so the values are 4-byte aligned and do not pin the whole file buffer.
    const values = new Float32Array(new Uint8Array(data.subarray(begin, end)).buffer);
    out.set(name, { shape: shape as number[], data: values });
  }
  return E.right(out);
};
