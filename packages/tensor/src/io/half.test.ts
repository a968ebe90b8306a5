import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bfloat16ToFloat32, float16ToFloat32, float32ToBfloat16, float32ToFloat16 } from "./half.js";

const allPatterns = Uint16Array.from({ length: 65536 }, (_, i) => i);
const float32OfBits = (bits: number): number => new Float32Array(new Uint32Array([bits]).buffer)[0]!;
const arbFloat32 = fc.nat({ max: 0xffffffff }).map(float32OfBits);

/** Checks `encoded` is the nearest representable value to x among its neighbours, ties to even. */
const expectNearestEven = (x: number, h: number, decode: (h: Uint16Array) => Float32Array) => {
  const [value, below, above] = decode(new Uint16Array([h, (h - 1) & 0xffff, (h + 1) & 0xffff]));
  const err = Math.abs(value! - x);
  for (const n of [below!, above!]) {
    if (!Number.isFinite(n) || Math.sign(n) !== Math.sign(value!)) continue;
    const other = Math.abs(n - x);
    expect(err).toBeLessThanOrEqual(other);
    if (err === other) expect(h & 1).toBe(0);
  }
};

describe("float16", () => {
  it("decodes known values", () => {
    expect(
      Array.from(float16ToFloat32(new Uint16Array([0x3c00, 0xc000, 0x7bff, 0x0001, 0x8000, 0x7c00, 0xfc00]))),
    ).toEqual([1, -2, 65504, 2 ** -24, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(float16ToFloat32(new Uint16Array([0x7e00]))[0]).toBeNaN();
  });

  it("encodes known values, rounding ties to even and overflowing to infinity", () => {
    const input = new Float32Array([
      1,
      65504,
      65519,
      65520,
      2 ** -25,
      2 ** -25 * 1.5,
      1 + 2 ** -11,
      1 + 3 * 2 ** -11,
    ]);
    expect(Array.from(float32ToFloat16(input))).toEqual([
      0x3c00, 0x7bff, 0x7bff, 0x7c00, 0x0000, 0x0001, 0x3c00, 0x3c02,
    ]);
  });

  it("round-trips all 65536 bit patterns exactly (NaN payloads included)", () => {
    expect(float32ToFloat16(float16ToFloat32(allPatterns))).toEqual(allPatterns);
  });

  it("rounds any float32 to the nearest half, ties to even", () => {
    fc.assert(
      fc.property(arbFloat32, (x) => {
        const h = float32ToFloat16(new Float32Array([x]))[0]!;
        if (Number.isNaN(x)) expect(float16ToFloat32(new Uint16Array([h]))[0]).toBeNaN();
        else if (Math.abs(x) >= 65520) expect(h & 0x7fff).toBe(0x7c00);
        else expectNearestEven(x, h, float16ToFloat32);
      }),
      { numRuns: 5000 },
    );
  });
});

describe("bfloat16", () => {
  it("decodes and encodes known values", () => {
    expect(Array.from(bfloat16ToFloat32(new Uint16Array([0x3f80, 0xc000])))).toEqual([1, -2]);
    expect(bfloat16ToFloat32(float32ToBfloat16(new Float32Array([Math.PI])))[0]).toBe(3.140625);
    // 1 + 2^-8 is a tie between 1 and 1 + 2^-7: ties go to the even mantissa (1).
    expect(Array.from(float32ToBfloat16(new Float32Array([1 + 2 ** -8, 1 + 3 * 2 ** -8])))).toEqual([
      0x3f80, 0x3f82,
    ]);
  });

  it("round-trips all 65536 bit patterns exactly", () => {
    expect(float32ToBfloat16(bfloat16ToFloat32(allPatterns))).toEqual(allPatterns);
  });

  it("rounds any float32 to the nearest bfloat16, ties to even, NaN stays NaN", () => {
    fc.assert(
      fc.property(arbFloat32, (x) => {
        const h = float32ToBfloat16(new Float32Array([x]))[0]!;
        const back = bfloat16ToFloat32(new Uint16Array([h]))[0]!;
        if (Number.isNaN(x)) expect(back).toBeNaN();
        else if (!Number.isFinite(back)) expect(Math.abs(x)).toBeGreaterThan(3.38e38);
        else expectNearestEven(x, h, bfloat16ToFloat32);
      }),
      { numRuns: 5000 },
    );
  });
});
