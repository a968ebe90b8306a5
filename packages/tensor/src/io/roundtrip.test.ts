import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RawTensorInput } from "./dtype.js";
import { parseSafetensors } from "./parse.js";
import { serializeSafetensors } from "./serialize.js";

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

const arbTensors = fc
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

  it("never throws on mutated valid files", () => {
    const mutation = fc.record({ at: fc.nat(), value: fc.nat({ max: 255 }) });
    fc.assert(
      fc.property(
        arbTensors,
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.nat(),
        (tensors, edits, cut) => {
          const bytes = serializeSafetensors(tensors);
          for (const { at, value } of edits) bytes[at % bytes.length] = value;
          expect(["Left", "Right"]).toContain(parseSafetensors(bytes)._tag);
          expect(["Left", "Right"]).toContain(
            parseSafetensors(bytes.subarray(0, cut % (bytes.length + 1)))._tag,
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});
