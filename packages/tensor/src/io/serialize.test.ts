import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RawTensorInput } from "./dtype.js";
import { SafetensorsWriteError } from "./errors.js";
import { parseSafetensors } from "./parse.js";
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

/** One random tensor of each dtype, with data of the right type and length. */
const arbTensor: fc.Arbitrary<RawTensorInput> = fc
  .tuple(fc.array(fc.nat({ max: 4 }), { maxLength: 3 }), fc.integer())
  .chain(([shape, _]) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const floats = fc.array(fc.float({ noNaN: true }), { minLength: n, maxLength: n });
    const ints = (min: number, max: number) =>
      fc.array(fc.integer({ min, max }), { minLength: n, maxLength: n });
    const bigs = (min: bigint, max: bigint) =>
      fc.array(fc.bigInt({ min, max }), { minLength: n, maxLength: n });
    return fc.oneof(
      fc
        .array(fc.double({ noNaN: true }), { minLength: n, maxLength: n })
        .map((d) => ({ dtype: "F64", shape, data: Float64Array.from(d) }) as const),
      floats.map((d) => ({ dtype: "F32", shape, data: Float32Array.from(d) }) as const),
      ints(0, 0xffff).map((d) => ({ dtype: "F16", shape, data: Uint16Array.from(d) }) as const),
      ints(0, 0xffff).map((d) => ({ dtype: "BF16", shape, data: Uint16Array.from(d) }) as const),
      bigs(-(2n ** 63n), 2n ** 63n - 1n).map(
        (d) => ({ dtype: "I64", shape, data: BigInt64Array.from(d) }) as const,
      ),
      bigs(0n, 2n ** 64n - 1n).map((d) => ({ dtype: "U64", shape, data: BigUint64Array.from(d) }) as const),
      ints(-(2 ** 31), 2 ** 31 - 1).map((d) => ({ dtype: "I32", shape, data: Int32Array.from(d) }) as const),
      ints(0, 2 ** 32 - 1).map((d) => ({ dtype: "U32", shape, data: Uint32Array.from(d) }) as const),
      ints(-(2 ** 15), 2 ** 15 - 1).map((d) => ({ dtype: "I16", shape, data: Int16Array.from(d) }) as const),
      ints(0, 0xffff).map((d) => ({ dtype: "U16", shape, data: Uint16Array.from(d) }) as const),
      ints(-128, 127).map((d) => ({ dtype: "I8", shape, data: Int8Array.from(d) }) as const),
      ints(0, 255).map((d) => ({ dtype: "U8", shape, data: Uint8Array.from(d) }) as const),
      ints(0, 1).map((d) => ({ dtype: "BOOL", shape, data: Uint8Array.from(d) }) as const),
    );
  });

export const arbTensors = fc
  .dictionary(fc.string({ maxLength: 6 }), arbTensor, { maxKeys: 5 })
  .filter((t) => !("__metadata__" in t));

describe("round trip", () => {
  it("parse(serialize(tensors)) gives back every dtype, shape, value and metadata", () => {
    const halfBits = (d: Float32Array, dtype: "F16" | "BF16") => {
      // Compare halves as bit patterns: decoding then re-encoding must be the identity.
      const t = serializeSafetensors({ x: { dtype, shape: [d.length], data: d } });
      return new Uint16Array(t.buffer.slice(t.length - 2 * d.length));
    };
    fc.assert(
      fc.property(
        arbTensors,
        fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
        (tensors, metadata) => {
          const parsed = parseSafetensors(serializeSafetensors(tensors, metadata));
          if (parsed._tag === "Left") throw new Error(parsed.left.message);
          expect(parsed.right.metadata).toEqual(metadata);
          expect(Object.keys(parsed.right.tensors).sort()).toEqual(Object.keys(tensors).sort());
          for (const [name, input] of Object.entries(tensors)) {
            const output = parsed.right.tensors[name]!;
            expect(output.dtype).toBe(input.dtype);
            expect(output.shape).toEqual(input.shape);
            if ((input.dtype === "F16" || input.dtype === "BF16") && output.data instanceof Float32Array) {
              expect(halfBits(output.data, input.dtype)).toEqual(input.data);
            } else {
              expect(output.data).toEqual(input.data);
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("rounds Float32 data written as F16/BF16 and reads the rounded values back", () => {
    const data = new Float32Array([Math.PI, -1e-3, 70000]);
    const parsed = parseSafetensors(
      serializeSafetensors({ h: { dtype: "F16", shape: [3], data }, b: { dtype: "BF16", shape: [3], data } }),
    );
    if (parsed._tag === "Left") throw new Error(parsed.left.message);
    expect(Array.from(parsed.right.tensors.h!.data as Float32Array)).toEqual([
      3.140625,
      -0.0010004043579101562,
      Number.POSITIVE_INFINITY,
    ]);
    expect(Array.from(parsed.right.tensors.b!.data as Float32Array)).toEqual([
      3.140625, -0.00099945068359375, 70144,
    ]);
  });
});
