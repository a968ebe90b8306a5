import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { int32ToInt64, int64ToInt32 } from "./int64.js";

describe("int64ToInt32 / int32ToInt64", () => {
  it("round-trips every int32", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })), (xs) => {
        const ints = Int32Array.from(xs);
        expect(int64ToInt32(int32ToInt64(ints))).toEqual({ _tag: "Right", right: ints });
      }),
    );
  });

  it("names the first out-of-range value", () => {
    const result = int64ToInt32(new BigInt64Array([1n, 2n ** 31n, -(2n ** 40n)]));
    expect(result._tag).toBe("Left");
    if (result._tag === "Left") {
      expect(result.left).toMatchObject({ _tag: "Int64OutOfRange", index: 1, value: 2n ** 31n });
      expect(result.left.message).toMatch(/2147483648 at index 1/);
    }
  });
});
