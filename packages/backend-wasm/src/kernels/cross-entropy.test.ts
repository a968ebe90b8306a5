import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  download,
  expectClose,
  randomFloats,
  runtimeConfigs,
  toF32,
  upload,
  uploadInts,
  useRuntime,
} from "../test-utils/runtimes.js";
import { IGNORE_INDEX } from "./cross-entropy.js";

const problem = fc
  .record({
    rows: fc.integer({ min: 1, max: 12 }),
    vocab: fc.integer({ min: 1, max: 37 }),
    seed: fc.integer(),
  })
  .chain((p) =>
    fc.record({
      rows: fc.constant(p.rows),
      vocab: fc.constant(p.vocab),
      seed: fc.constant(p.seed),
      targets: fc.array(fc.oneof(fc.integer({ min: 0, max: p.vocab - 1 }), fc.constant(IGNORE_INDEX)), {
        minLength: p.rows,
        maxLength: p.rows,
      }),
    }),
  );

function rowSoftmax(x: Float64Array, r: number, vocab: number): { p: number[]; lse: number } {
  let m = -Infinity;
  for (let j = 0; j < vocab; j++) m = Math.max(m, x[r * vocab + j]!);
  let s = 0;
  for (let j = 0; j < vocab; j++) s += Math.exp(x[r * vocab + j]! - m);
  const p = [];
  for (let j = 0; j < vocab; j++) p.push(Math.exp(x[r * vocab + j]! - m) / s);
  return { p, lse: m + Math.log(s) };
}

describe.each(runtimeConfigs)("crossEntropy on $name", ({ options }) => {
  const runtime = useRuntime(options);

  it("loss sum and count match logsumexp - x[target], skipping ignored rows", () => {
    fc.assert(
      fc.property(problem, ({ rows, vocab, seed, targets }) => {
        const rt = runtime();
        const x = toF32(randomFloats(seed, rows * vocab, -8, 8));
        let lossSum = 0;
        let count = 0;
        targets.forEach((t, r) => {
          if (t === IGNORE_INDEX) return;
          lossSum += rowSoftmax(x, r, vocab).lse - x[r * vocab + t]!;
          count++;
        });
        const [pl, pt, pe] = [upload(rt, x), uploadInts(rt, targets), rt.alloc(rows * 4)];
        const got = rt.crossEntropy({ logits: pl, targets: pt, rows, vocab, lse: pe });
        expect(got.count).toBe(count);
        expect(Math.abs(got.lossSum - lossSum)).toBeLessThan(1e-5 * (1 + Math.abs(lossSum)));
        const wantLse = targets.map((t, r) => (t === IGNORE_INDEX ? 0 : rowSoftmax(x, r, vocab).lse));
        expectClose(download(rt, pe, rows), wantLse, 1e-6, 1e-6);
        for (const p of [pl, pt, pe]) rt.free(p);
      }),
      { numRuns: 100 },
    );
  });

  it("dlogits = gradScale * (softmax - onehot), zero on ignored rows", () => {
    fc.assert(
      fc.property(problem, ({ rows, vocab, seed, targets }) => {
        const rt = runtime();
        const x = toF32(randomFloats(seed, rows * vocab, -8, 8));
        const gradScale = 0.25;
        const want = new Float64Array(rows * vocab);
        targets.forEach((t, r) => {
          if (t === IGNORE_INDEX) return;
          const { p } = rowSoftmax(x, r, vocab);
          for (let j = 0; j < vocab; j++) want[r * vocab + j] = gradScale * (p[j]! - (j === t ? 1 : 0));
        });
        const [pl, pt, pe] = [upload(rt, x), uploadInts(rt, targets), rt.alloc(rows * 4)];
        const pd = rt.alloc(rows * vocab * 4);
        rt.crossEntropy({ logits: pl, targets: pt, rows, vocab, lse: pe });
        rt.crossEntropyBackward({ logits: pl, targets: pt, lse: pe, dlogits: pd, rows, vocab, gradScale });
        expectClose(download(rt, pd, rows * vocab), want, 1e-7, 1e-5);
        for (const p of [pl, pt, pe, pd]) rt.free(p);
      }),
      { numRuns: 100 },
    );
    expect(runtime().liveAllocations()).toBe(0);
  });

  it("rejects targets outside the vocabulary with the row and the fix", () => {
    const rt = runtime();
    const [pl, pt, pe] = [upload(rt, [0, 0, 0]), uploadInts(rt, [3]), rt.alloc(4)];
    expect(() => rt.crossEntropy({ logits: pl, targets: pt, rows: 1, vocab: 3, lse: pe })).toThrow(
      /target 3 at row 0.*-100/,
    );
    for (const p of [pl, pt, pe]) rt.free(p);
  });
});
