import { type Tensor, tensor, treeFlatten } from "@scratchgrad/tensor";

/** A seeded uniform stream in [0, 1) (mulberry32), so test data is reproducible without PRNG keys. */
export const uniformStream = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** `n` numbers uniform in [-scale, scale), rounded to float32 (what a float32 tensor of them holds). */
export const randomValues = (next: () => number, n: number, scale = 1): number[] =>
  Array.from(Float32Array.from({ length: n }, () => (2 * next() - 1) * scale));

/** A float32 tensor of `shape` with values uniform in [-scale, scale). */
export const randomTensor = (next: () => number, shape: readonly number[], scale = 1): Tensor =>
  tensor(
    Float32Array.from(
      randomValues(
        next,
        shape.reduce((a, b) => a * b, 1),
        scale,
      ),
    ),
    shape,
  );

/** Every tensor of a tree as plain numbers, by dotted path. */
export const snapshot = (tree: unknown): Record<string, number[]> =>
  Object.fromEntries([...treeFlatten(tree)].map(([path, t]) => [path, Array.from(t.data())]));
