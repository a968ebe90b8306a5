/**
 * A minimal safetensors codec for optimizer state (F32, I32 and BOOL tensors only). The full reader
 * and writer live in `@scratchgrad/tensor`'s `src/io`, which that package does not export yet; this
 * file writes the same format (8-byte little-endian header length, JSON header padded with spaces to a
 * multiple of 8, contiguous data in name order) so HF's `safetensors` library reads it, and should be
 * replaced by the tensor package's codec once it is public.
 */
import * as E from "fp-ts/lib/Either.js";

/** A tensor as plain data. */
export type StateTensorData =
  | { readonly dtype: "F32"; readonly shape: readonly number[]; readonly data: Float32Array }
  | { readonly dtype: "I32"; readonly shape: readonly number[]; readonly data: Int32Array }
  | { readonly dtype: "BOOL"; readonly shape: readonly number[]; readonly data: Uint8Array };

const BYTES = { F32: 4, I32: 4, BOOL: 1 } as const;

if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) {
  throw new Error("@scratchgrad/optim: safetensors I/O assumes a little-endian host");
}

/** Serialises tensors (and string metadata) to safetensors bytes. */
export const encodeSafetensors = (
  tensors: Readonly<Record<string, StateTensorData>>,
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array => {
  // Widest dtype first, then by name, keeps every offset aligned to its element size.
  const names = Object.keys(tensors).sort(
    (a, b) => BYTES[tensors[b]!.dtype] - BYTES[tensors[a]!.dtype] || (a < b ? -1 : a > b ? 1 : 0),
  );
  // Built by hand: a JS object would move integer-like names ("0", "1") to the front.
  const fields: string[] = [];
  const metadataKeys = Object.keys(metadata).sort();
  if (metadataKeys.length > 0) {
    fields.push(
      `"__metadata__":{${metadataKeys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(metadata[k])}`).join(",")}}`,
    );
  }
  let offset = 0;
  for (const name of names) {
    const t = tensors[name]!;
    const end = offset + t.data.byteLength;
    fields.push(
      `${JSON.stringify(name)}:${JSON.stringify({ dtype: t.dtype, shape: t.shape, data_offsets: [offset, end] })}`,
    );
    offset = end;
  }
  const text = `{${fields.join(",")}}`;
  const unpadded = new TextEncoder().encode(text).length;
  // Pad with spaces so the data starts 8-byte aligned.
  const json = new TextEncoder().encode(text + " ".repeat(Math.ceil(unpadded / 8) * 8 - unpadded));
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const name of names) {
    const t = tensors[name]!;
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
};

/** A decoded safetensors file. */
export interface DecodedSafetensors {
  readonly tensors: Readonly<Record<string, StateTensorData>>;
  readonly metadata: Readonly<Record<string, string>>;
}

/** Parses safetensors bytes holding F32/I32/BOOL tensors; any malformation is a `Left` with a reason. */
export const decodeSafetensors = (bytes: Uint8Array): E.Either<string, DecodedSafetensors> => {
  if (bytes.length < 8) return E.left(`file has ${bytes.length} bytes, fewer than the 8-byte header length`);
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (8 + headerLength > bytes.length)
    return E.left(`header length ${headerLength} runs past the end of the file (${bytes.length} bytes)`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)),
    );
  } catch (e) {
    return E.left(`header is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (header === null || typeof header !== "object" || Array.isArray(header))
    return E.left("header is not a JSON object");
  const dataStart = 8 + headerLength;
  const tensors: Record<string, StateTensorData> = {};
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") {
      metadata = entry as Record<string, string>;
      continue;
    }
    const {
      dtype,
      shape,
      data_offsets: offsets,
    } = entry as { dtype: unknown; shape: unknown; data_offsets: unknown };
    if (dtype !== "F32" && dtype !== "I32" && dtype !== "BOOL")
      return E.left(
        `tensor "${name}" has dtype ${String(dtype)}; optimizer state holds only F32, I32 and BOOL`,
      );
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0))
      return E.left(`tensor "${name}" has an invalid shape`);
    if (!Array.isArray(offsets) || offsets.length !== 2)
      return E.left(`tensor "${name}" has invalid data_offsets`);
    const [begin, end] = offsets as [number, number];
    const count = shape.reduce((a: number, b: number) => a * b, 1);
    if (end - begin !== count * BYTES[dtype] || dataStart + end > bytes.length || begin < 0) {
      return E.left(
        `tensor "${name}": data_offsets [${begin}, ${end}] do not match shape [${shape.join(", ")}] ${dtype} within the file`,
      );
    }
    // A fresh, aligned copy (Node's Buffer.slice would be a view into a shared pool).
    const slice = new Uint8Array(end - begin);
    slice.set(bytes.subarray(dataStart + begin, dataStart + end));
    tensors[name] =
      dtype === "F32"
        ? { dtype, shape, data: new Float32Array(slice.buffer) }
        : dtype === "I32"
          ? { dtype, shape, data: new Int32Array(slice.buffer) }
          : { dtype, shape, data: slice };
  }
  return E.right({ tensors, metadata });
};
