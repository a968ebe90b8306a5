import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { randomBits } from "./bits.js";
import { foldIn, key, keyFromJson, keyToJson, split } from "./key.js";

const arbKey = fc.tuple(fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff })).map(([hi, lo]) => {
  const k = keyFromJson([hi, lo]);
  if (k._tag === "Left") throw new Error(k.left.message);
  return k.right;
});

describe("key", () => {
  it("puts 32-bit seeds in the low word like jax.random.key", () => {
    expect(key(0)).toEqual([0, 0]);
    expect(key(42)).toEqual([0, 42]);
    expect(key(-1)).toEqual([0, 0xffffffff]);
    expect(key(2 ** 32 + 5)).toEqual([1, 5]);
  });

  it("is frozen and rejects non-integer seeds with a hint", () => {
    expect(Object.isFrozen(key(1))).toBe(true);
    expect(() => key(1.5)).toThrow(/seed must be an integer/);
    expect(() => key(Number.NaN)).toThrow(/key\(0\)/);
  });
});

describe("split", () => {
  it("matches jax.random.split(jax.random.key(1), 3)", () => {
    expect(split(key(1), 3)).toEqual([
      [507451445, 1853169794],
      [1948878966, 4237131848],
      [2441914641, 3819641963],
    ]);
  });

  it("gives n distinct keys, distinct from the parent, with distinct streams", () => {
    fc.assert(
      fc.property(arbKey, fc.integer({ min: 0, max: 40 }), (k, n) => {
        const keys = split(k, n);
        expect(keys).toHaveLength(n);
        const seen = new Set([...keys, k].map((x) => `${x[0]},${x[1]}`));
        expect(seen.size).toBe(n + 1);
        const firstWords = new Set(keys.map((x) => randomBits(x, 1)[0]));
        expect(firstWords.size).toBe(n);
      }),
      { numRuns: 50 },
    );
  });

  it("is deterministic and prefix-stable", () => {
    expect(split(key(7), 5).slice(0, 3)).toEqual(split(key(7), 3));
    expect(split(key(7))).toEqual(split(key(7), 2));
  });

  it("rejects a bad n", () => {
    expect(() => split(key(0), -1)).toThrow(/non-negative integer/);
  });
});

describe("foldIn", () => {
  it("gives different keys for different data and equals split's i-th key (as in JAX)", () => {
    fc.assert(
      fc.property(arbKey, fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff }), (k, a, b) => {
        fc.pre(a !== b);
        expect(foldIn(k, a)).not.toEqual(foldIn(k, b));
        expect(foldIn(k, a)).not.toEqual(k);
      }),
      { numRuns: 100 },
    );
    expect(foldIn(key(3), 2)).toEqual(split(key(3), 3)[2]);
  });

  it("treats negative int32 data as its uint32 bit pattern", () => {
    expect(foldIn(key(0), -1)).toEqual(foldIn(key(0), 0xffffffff));
    expect(() => foldIn(key(0), 0.5)).toThrow(/int32 or uint32/);
  });
});

describe("keyToJson / keyFromJson", () => {
  it("round-trips through JSON text", () => {
    fc.assert(
      fc.property(arbKey, (k) => {
        expect(keyFromJson(JSON.parse(JSON.stringify(keyToJson(k))))).toEqual({ _tag: "Right", right: k });
      }),
    );
  });

  it.each([
    [null],
    [[1]],
    [[1, 2, 3]],
    [[-1, 0]],
    [[0, 2 ** 32]],
    [[0.5, 1]],
    [["1", "2"]],
    [{ hi: 1, lo: 2 }],
  ])("rejects %j with a message naming the expected form", (value) => {
    const result = keyFromJson(value);
    expect(result._tag).toBe("Left");
    if (result._tag === "Left") expect(result.left.message).toMatch(/\[hi, lo\]/);
  });
});
