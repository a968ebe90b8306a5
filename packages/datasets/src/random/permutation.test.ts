import { foldIn, key, randint } from "@scratchgrad/tensor/random";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { permutation } from "./permutation.js";
import { keySource, seededSource } from "./randomSource.js";

describe("seededSource", () => {
  it("is pure: the same seed gives the same ints, bit for bit", () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        (s, n, m) => {
          const a = seededSource(s).randomInts(n, m);
          expect(a).toEqual(seededSource(s).randomInts(n, m));
          for (const v of a) expect(v >= 0 && v < m).toBe(true);
        },
      ),
    );
  });

  it("draws from Threefry keys: a seed is key(seed), a key source is randint", () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        (s, n, m) => {
          const k = foldIn(key(s >>> 0), 7);
          expect(keySource(k).randomInts(n, m)).toEqual(randint(k, n, 0, m));
          expect(seededSource(s).randomInts(n, m)).toEqual(keySource(key(s | 0)).randomInts(n, m));
        },
      ),
    );
  });

  it("different seeds give different streams", () => {
    expect(seededSource(1).randomInts(16, 1000)).not.toEqual(seededSource(2).randomInts(16, 1000));
  });

  it("is roughly uniform", () => {
    const counts = new Array(10).fill(0);
    for (const v of seededSource(7).randomInts(20000, 10)) counts[v]++;
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(200);
  });

  it("rejects bad arguments with a message naming the argument", () => {
    expect(() => seededSource(0).randomInts(3, 0)).toThrow(/max must be/);
    expect(() => seededSource(0).randomInts(-1, 5)).toThrow(/n must be/);
  });
});

describe("permutation", () => {
  it("is a permutation of 0..n-1, determined by the seed", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer(), (n, seed) => {
        const p = permutation(n, seed);
        expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(permutation(n, seed)).toEqual(p);
      }),
    );
  });

  it("accepts any RandomSource (a constant source keeps the identity order)", () => {
    const constant = { randomInts: (n: number) => new Int32Array(n) };
    expect([...permutation(4, constant)]).toEqual([0, 1, 2, 3]);
  });
});
