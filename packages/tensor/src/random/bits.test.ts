import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { randomBits } from "./bits.js";
import { key } from "./key.js";

describe("randomBits", () => {
  it("matches jax.random.bits", () => {
    expect(Array.from(randomBits(key(0), 1))).toEqual([4070199207]);
    expect(Array.from(randomBits(key(10), 4))).toEqual([169096361, 1572511259, 2689743692, 2228103506]);
  });

  it("is deterministic and a longer draw extends a shorter one", () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat({ max: 200 }), fc.nat({ max: 200 }), (seed, a, b) => {
        const short = randomBits(key(seed), Math.min(a, b));
        const long = randomBits(key(seed), Math.max(a, b));
        expect(long.subarray(0, short.length)).toEqual(short);
        expect(randomBits(key(seed), a)).toEqual(randomBits(key(seed), a));
      }),
      { numRuns: 50 },
    );
  });

  it("sets each bit with probability 1/2", () => {
    const words = randomBits(key(5), 20_000);
    for (let bit = 0; bit < 32; bit++) {
      let ones = 0;
      for (const w of words) ones += (w >>> bit) & 1;
      // 20000 fair coins: sd = 70.7; 5 sd bound.
      expect(Math.abs(ones - 10_000)).toBeLessThan(360);
    }
  });

  it("rejects a bad count", () => {
    expect(() => randomBits(key(0), -1)).toThrow(/count must be a non-negative integer/);
    expect(randomBits(key(0), 0)).toHaveLength(0);
  });
});
