import { randomArrays } from "@scratchgrad/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runtimeConfigs, useRuntime } from "../test-utils/runtimes.js";

// Keys as they occur in training: fresh seeds, split children, per-step fold-ins, and raw words
// (the high bit set, where an int32 reading of the key would go negative).
const keyArb: fc.Arbitrary<randomArrays.Key> = fc.oneof(
  fc.integer({ min: 0, max: 0xffffffff }).map((seed) => randomArrays.key(seed)),
  fc
    .tuple(fc.nat(), fc.integer({ min: 1, max: 4 }), fc.nat(3))
    .map(([seed, n, i]) => randomArrays.split(randomArrays.key(seed), n)[Math.min(i, n - 1)]!),
  fc.tuple(fc.nat(), fc.nat()).map(([seed, step]) => randomArrays.foldIn(randomArrays.key(seed), step)),
  fc
    .tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }))
    .map(([hi, lo]) => [hi, lo] as const),
);

// Counts around every boundary: empty, the odd last word, a partial SIMD group (8 elements), and
// sizes the 2-thread configuration splits into several chunks.
const countArb = fc.oneof(
  fc.integer({ min: 0, max: 3 }),
  fc.integer({ min: 4, max: 40 }),
  fc.integer({ min: 41, max: 5000 }),
  fc.integer({ min: 1, max: 8 }).map((k) => 8 * k * 1024 + k), // not a multiple of 8
);

const pArb = fc.constantFrom(0, 1e-6, 2 ** -17, 1e-3, 0.1, 0.5, 0.9, 0.999999);

const bits = (a: Float32Array): Uint32Array => new Uint32Array(a.buffer, a.byteOffset, a.length);

describe.each(runtimeConfigs)("dropoutMask on $name", ({ options }) => {
  const runtime = useRuntime(options);

  const wasmMask = (key: readonly [number, number], n: number, p: number): Float32Array => {
    const rt = runtime();
    const out = rt.alloc(Math.max(n, 1) * 4 + 64);
    // Poison the buffer and the guard floats past its end: every element must be written, no more.
    rt.f32(out, Math.max(n, 1) + 16).fill(Number.NaN);
    rt.dropoutMask({ key, ...randomArrays.dropoutThreshold(p), out, n });
    const result = rt.f32(out, n).slice();
    const guard = rt.f32(out + n * 4, 16);
    expect(guard.every(Number.isNaN)).toBe(true);
    rt.free(out);
    return result;
  };

  it("equals randomArrays.dropoutMultiplier bit for bit", () => {
    fc.assert(
      fc.property(keyArb, countArb, pArb, (key, n, p) => {
        expect(bits(wasmMask(key, n, p))).toEqual(bits(randomArrays.dropoutMultiplier(key, n, p)));
      }),
      { numRuns: 150 },
    );
  });

  it("a mask spanning many thread chunks equals the host's (and its words are the key's stream)", () => {
    const key = randomArrays.foldIn(randomArrays.split(randomArrays.key(7))[1]!, 123);
    const n = 300_001;
    const got = wasmMask(key, n, 0.5);
    expect(bits(got)).toEqual(bits(randomArrays.dropoutMultiplier(key, n, 0.5)));
    // Independent of dropoutMultiplier's own loop: element 2w is kept iff word w's high half >= 2^15.
    const words = randomArrays.randomBits(key, 8);
    for (let w = 0; w < 8; w++) {
      expect(got[2 * w] !== 0).toBe(words[w]! >>> 16 >= 32768);
      expect(got[2 * w + 1] !== 0).toBe((words[w]! & 0xffff) >= 32768);
    }
  });

  it("rejects keys that are not uint32 pairs and out-of-heap buffers", () => {
    const rt = runtime();
    const out = rt.alloc(64);
    expect(() => rt.dropoutMask({ key: [-1, 0], threshold: 1, scale: 1, out, n: 4 })).toThrow(/uint32/);
    expect(() => rt.dropoutMask({ key: [0, 0], threshold: 65537, scale: 1, out, n: 4 })).toThrow(/threshold/);
    expect(() => rt.dropoutMask({ key: [0, 0], threshold: 1, scale: 1, out, n: 1 << 30 })).toThrow(/heap/);
    rt.free(out);
  });
});
