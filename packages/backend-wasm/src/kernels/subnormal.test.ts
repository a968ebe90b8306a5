// No kernel writes a subnormal float. WebAssembly has no flush-to-zero mode and Intel cores take a
// microcode assist on every subnormal operand (a GEMM with 10% subnormal inputs ran 15x slower), so
// each kernel whose float32 result can underflow flushes |x| < 2^-126 to ±0. Every input here is
// built so that the unflushed result would be subnormal.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { WasmRuntime } from "../runtime/create-runtime.js";
import {
  download,
  randomFloats,
  runtimeConfigs,
  upload,
  uploadInts,
  useRuntime,
} from "../test-utils/runtimes.js";

const MIN_NORMAL = 2 ** -126;

/** Indices of subnormal values (0 < |x| < 2^-126) in `xs`. */
const subnormalsIn = (xs: readonly number[]): number[] =>
  xs.flatMap((x, i) => (x !== 0 && Math.abs(x) < MIN_NORMAL ? [i] : []));

/** Reads `n` floats at `ptr`, frees it, and returns them. */
const take = (rt: WasmRuntime, ptr: number, n: number): number[] => {
  const out = download(rt, ptr, n);
  rt.free(ptr);
  return out;
};

/** `n` floats of magnitude in [lo, hi) (log-uniform), random signs, from `seed`. */
const tiny = (seed: number, n: number, lo: number, hi: number): number[] =>
  Array.from(randomFloats(seed, n), (u, i) => {
    const mag = lo * (hi / lo) ** Math.abs(u);
    return (i + (u > 0 ? 1 : 0)) % 2 === 0 ? mag : -mag;
  });

const sizes = fc.record({
  rows: fc.integer({ min: 1, max: 6 }),
  cols: fc.integer({ min: 1, max: 41 }),
  seed: fc.integer(),
});

describe.each(runtimeConfigs)("no subnormal outputs on $name", ({ options }) => {
  const runtime = useRuntime(options);

  it("softmax: masked scores give weights of exactly 0, forward and backward stay normal", () => {
    fc.assert(
      fc.property(sizes, ({ rows, cols, seed }) => {
        const rt = runtime();
        const n = rows * cols;
        const u = randomFloats(seed, n);
        // Scores near -87 below the row max put exp() right at the float32 floor; -1e9 and -inf are
        // masked positions (causal or padding), which must get a weight of exactly 0.
        const x = Array.from(u, (v, i) =>
          i % cols === 0 ? 0 : v < -0.6 ? -1e9 : v < -0.3 ? -Infinity : -86 - 3 * Math.abs(v),
        );
        const px = upload(rt, x);
        const py = rt.alloc(n * 4);
        rt.softmaxRows({ x: px, y: py, rows, cols });
        const y = download(rt, py, n);
        expect(subnormalsIn(y)).toEqual([]);
        x.forEach((v, i) => {
          if (v <= -1e9) expect(y[i]).toBe(0);
        });
        const pdy = upload(rt, tiny(seed + 1, n, 1e-3, 1));
        rt.softmaxRowsBackward({ y: py, dy: pdy, dx: pdy, rows, cols });
        expect(subnormalsIn(take(rt, pdy, n))).toEqual([]);
        rt.free(px);
        rt.free(py);
      }),
      { numRuns: 60 },
    );
  });

  it("cross-entropy backward: exp(x - lse) · scale below 2^-126 is 0", () => {
    fc.assert(
      fc.property(sizes, ({ rows, cols, seed }) => {
        const rt = runtime();
        const n = rows * cols;
        const u = randomFloats(seed, n);
        const logits = Array.from(u, (v, i) => (i % cols === 0 ? 10 : -78 + 5 * v));
        const targets = Array.from({ length: rows }, (_, r) => (r * 7 + seed) % cols);
        const pl = upload(rt, logits);
        const pt = uploadInts(
          rt,
          targets.map((t) => Math.abs(t)),
        );
        const lse = rt.alloc(rows * 4);
        rt.crossEntropy({ logits: pl, targets: pt, rows, vocab: cols, lse });
        const dlogits = rt.alloc(n * 4);
        rt.crossEntropyBackward({
          logits: pl,
          targets: pt,
          rows,
          vocab: cols,
          lse,
          dlogits,
          gradScale: 1 / 1024,
        });
        expect(subnormalsIn(take(rt, dlogits, n))).toEqual([]);
        for (const p of [pl, pt, lse]) rt.free(p);
      }),
      { numRuns: 60 },
    );
  });

  it("GELU (both forms), forward and backward, in the far negative tail", () => {
    fc.assert(
      fc.property(sizes, fc.boolean(), ({ rows, cols, seed }, exact) => {
        const rt = runtime();
        const n = rows * cols;
        const x = Array.from(randomFloats(seed, n, -14.5, -9));
        const px = upload(rt, x);
        const py = rt.alloc(n * 4);
        rt.gelu({ x: px, y: py, n, exact });
        expect(subnormalsIn(take(rt, py, n))).toEqual([]);
        const pdy = upload(rt, tiny(seed, n, 1e-3, 1));
        const pdx = rt.alloc(n * 4);
        rt.geluBackward({ x: px, dy: pdy, dx: pdx, n, exact });
        expect(subnormalsIn(take(rt, pdx, n))).toEqual([]);
        rt.free(px);
        rt.free(pdy);
      }),
      { numRuns: 40 },
    );
  });

  it("layerNorm forward and backward with tiny gradients", () => {
    fc.assert(
      fc.property(sizes, ({ rows, cols, seed }) => {
        const rt = runtime();
        const n = rows * cols;
        const px = upload(rt, randomFloats(seed, n, -2, 2));
        const pg = upload(rt, tiny(seed + 1, cols, 1e-3, 1e-2));
        const pb = upload(rt, tiny(seed + 2, cols, 1e-38, 1e-37));
        const [py, mean, rstd] = [rt.alloc(n * 4), rt.alloc(rows * 4), rt.alloc(rows * 4)];
        rt.layerNorm({ x: px, gamma: pg, beta: pb, y: py, mean, rstd, rows, cols });
        expect(subnormalsIn(take(rt, py, n))).toEqual([]);
        const pdy = upload(rt, tiny(seed + 3, n, 1.2e-38, 1e-36));
        const [pdx, dgamma, dbeta] = [rt.alloc(n * 4), rt.alloc(cols * 4), rt.alloc(cols * 4)];
        rt.layerNormBackward({ x: px, dy: pdy, gamma: pg, mean, rstd, dx: pdx, dgamma, dbeta, rows, cols });
        expect(subnormalsIn(take(rt, pdx, n))).toEqual([]);
        expect(subnormalsIn(take(rt, dgamma, cols))).toEqual([]);
        expect(subnormalsIn(take(rt, dbeta, cols))).toEqual([]);
        for (const p of [px, pg, pb, mean, rstd, pdy]) rt.free(p);
      }),
      { numRuns: 40 },
    );
  });

  it("AdamW: moments of tiny gradients and the updated parameters", () => {
    fc.assert(
      fc.property(sizes, ({ rows, cols, seed }) => {
        const rt = runtime();
        const n = rows * cols;
        const param = upload(rt, tiny(seed, n, 1e-38, 1e-36));
        const grad = upload(rt, tiny(seed + 1, n, 1e-25, 1e-18)); // g² < 2^-126
        const m = upload(rt, tiny(seed + 2, n, 1.2e-38, 1e-37)); // decays below 2^-126
        const v = upload(rt, new Float32Array(n));
        const [paramOut, mOut, vOut] = [rt.alloc(n * 4), rt.alloc(n * 4), rt.alloc(n * 4)];
        rt.adamw({ param, grad, m, v, n, lr: 1e-30, step: 3, weightDecay: 0.5, paramOut, mOut, vOut });
        for (const out of [paramOut, mOut, vOut]) expect(subnormalsIn(take(rt, out, n))).toEqual([]);
        for (const p of [param, grad, m, v]) rt.free(p);
      }),
      { numRuns: 40 },
    );
  });

  it("elementwise products and differences (dropout scaling, residuals)", () => {
    fc.assert(
      fc.property(
        sizes,
        fc.constantFrom("add", "sub", "mul", "div") as fc.Arbitrary<"add" | "sub" | "mul" | "div">,
        ({ rows, cols, seed }, op) => {
          const rt = runtime();
          const n = rows * cols;
          const a = tiny(seed, n, 1e-25, 1e-15);
          const b =
            op === "div"
              ? tiny(seed + 1, n, 1e20, 1e25)
              : op === "mul"
                ? tiny(seed + 1, n, 1e-25, 1e-15)
                : a.map((x) => x * (1 + 1e-6));
          const pa = upload(rt, op === "add" ? a.map((x) => x + 1e-44) : a);
          const pb = upload(rt, op === "add" ? b.map((x) => -x) : b);
          const out = rt.alloc(n * 4);
          rt.binary({ op, a: pa, b: pb, out, n });
          expect(subnormalsIn(download(rt, out, n))).toEqual([]);
          rt.binaryRows({ op, a: pa, b: pb, out, rows, cols });
          expect(subnormalsIn(take(rt, out, n))).toEqual([]);
          rt.free(pa);
          rt.free(pb);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("GEMM: products of tiny values, and subnormal inputs read as 0", () => {
    fc.assert(
      fc.property(
        fc.record({
          m: fc.integer({ min: 1, max: 13 }),
          n: fc.integer({ min: 1, max: 19 }),
          k: fc.integer({ min: 1, max: 17 }),
          transA: fc.boolean(),
          transB: fc.boolean(),
          seed: fc.integer(),
        }),
        ({ m, n, k, transA, transB, seed }) => {
          const rt = runtime();
          // 1e-20 · 1e-20 = 1e-40: every product underflows. Half the entries of A are subnormal
          // themselves; the GEMM treats them as 0, so C is exactly the product of the normal part.
          const a = tiny(seed, m * k, 1e-21, 1e-19).map((x, i) => (i % 2 === 0 ? x * 1e-19 : x));
          const pa = upload(rt, a);
          const pb = upload(rt, tiny(seed + 1, k * n, 1e-21, 1e-19));
          const c = rt.alloc(m * n * 4);
          rt.gemm({ m, n, k, a: pa, b: pb, c, transA, transB });
          expect(subnormalsIn(take(rt, c, m * n))).toEqual([]);
          rt.free(pa);
          rt.free(pb);
        },
      ),
      { numRuns: 60 },
    );
  });
});
