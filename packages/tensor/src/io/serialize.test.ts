import { describe, expect, it } from "vitest";
import type { RawTensorInput } from "./dtype.js";
import { SafetensorsWriteError } from "./errors.js";
import { serializeSafetensors } from "./serialize.js";

const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0));
const headerOf = (bytes: Uint8Array) => {
  const n = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  return new TextDecoder().decode(bytes.subarray(8, 8 + n));
};

describe("serializeSafetensors", () => {
  it("writes what safetensors.torch.save_file({'a': torch.zeros(2)}) writes, byte for byte", () => {
    // The 54-byte header is padded with 2 spaces to 56 (a multiple of 8), then 2 float32 zeros.
    const header = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
    const expected = new Uint8Array([
      56,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      ...ascii(header),
      0x20,
      0x20,
      ...new Array(8).fill(0),
    ]);
    expect(serializeSafetensors({ a: { dtype: "F32", shape: [2], data: new Float32Array(2) } })).toEqual(
      expected,
    );
  });

  it("orders tensors like HF (widest dtype first, then name) with contiguous offsets and metadata first", () => {
    const bytes = serializeSafetensors(
      {
        b: { dtype: "F16", shape: [1], data: new Float32Array([1]) },
        "10": { dtype: "F32", shape: [], data: new Float32Array([2]) },
        "9": { dtype: "F32", shape: [], data: new Float32Array([3]) },
        z: { dtype: "I64", shape: [1], data: new BigInt64Array([4n]) },
        m: { dtype: "BOOL", shape: [2], data: new Uint8Array([1, 0]) },
      },
      { z: "last", format: "pt" },
    );
    const header = headerOf(bytes);
    expect(header.trimEnd()).toBe(
      '{"__metadata__":{"format":"pt","z":"last"},' +
        '"z":{"dtype":"I64","shape":[1],"data_offsets":[0,8]},' +
        '"10":{"dtype":"F32","shape":[],"data_offsets":[8,12]},' +
        '"9":{"dtype":"F32","shape":[],"data_offsets":[12,16]},' +
        '"b":{"dtype":"F16","shape":[1],"data_offsets":[16,18]},' +
        '"m":{"dtype":"BOOL","shape":[2],"data_offsets":[18,20]}}',
    );
    expect((8 + header.length) % 8).toBe(0);
  });

  it("reports invalid input with the tensor name and the fix", () => {
    const bad = (tensors: Record<string, unknown>, pattern: RegExp) => {
      expect(() => serializeSafetensors(tensors as Record<string, RawTensorInput>)).toThrow(
        SafetensorsWriteError,
      );
      expect(() => serializeSafetensors(tensors as Record<string, RawTensorInput>)).toThrow(pattern);
    };
    bad({ w: { dtype: "F32", shape: [3], data: new Float32Array(2) } }, /"w".*3 elements but data has 2/);
    bad(
      { w: { dtype: "F32", shape: [2], data: new Int32Array(2) } },
      /F32 data must be a Float32Array, got Int32Array/,
    );
    bad({ w: { dtype: "Q4", shape: [2], data: new Float32Array(2) } }, /unknown dtype "Q4"/);
    bad({ w: { dtype: "F32", shape: [-1], data: new Float32Array(0) } }, /non-negative integers/);
    bad({ __metadata__: { dtype: "F32", shape: [], data: new Float32Array(1) } }, /reserved/);
    expect(() => serializeSafetensors({}, { step: 3 as unknown as string })).toThrow(
      /"step" must be a string/,
    );
  });
});
