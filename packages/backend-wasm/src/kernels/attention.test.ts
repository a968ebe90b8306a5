import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  download,
  expectClose,
  randomFloats,
  runtimeConfigs,
  toF32,
  upload,
  useRuntime,
} from "../test-utils/runtimes.js";

interface Case {
  readonly batch: number;
  readonly heads: number;
  readonly seq: number;
  readonly headDim: number;
  readonly causal: boolean;
  readonly padded: boolean;
  readonly dropout: boolean;
  readonly seed: number;
}

const cases: fc.Arbitrary<Case> = fc.record({
  batch: fc.integer({ min: 1, max: 2 }),
  heads: fc.integer({ min: 1, max: 3 }),
  seq: fc.integer({ min: 1, max: 19 }),
  headDim: fc.constantFrom(4, 8, 12, 16),
  causal: fc.boolean(),
  padded: fc.boolean(),
  dropout: fc.boolean(),
  seed: fc.integer(),
});

/** Inputs of one case, rounded to f32: q, k, v, dO [B, T, C]; mask [B, T]; drop [B, H, T, T]. */
const inputs = (c: Case) => {
  const n = c.batch * c.seq * c.heads * c.headDim;
  const u = randomFloats(c.seed + 7, c.batch * c.seq + c.batch * c.heads * c.seq * c.seq);
  // Padding keys get -1e9 (the models' MASK_VALUE), some rows entirely; dropout keeps ~70%.
  const mask = Array.from({ length: c.batch * c.seq }, (_, i) => (c.padded && u[i]! > 0.4 ? -1e9 : 0));
  const drop = Array.from({ length: c.batch * c.heads * c.seq * c.seq }, (_, i) =>
    u[c.batch * c.seq + i]! > -0.4 ? 1 / 0.7 : 0,
  );
  return {
    q: toF32(randomFloats(c.seed, n, -2, 2)),
    k: toF32(randomFloats(c.seed + 1, n, -2, 2)),
    v: toF32(randomFloats(c.seed + 2, n)),
    dout: toF32(randomFloats(c.seed + 3, n)),
    mask: toF32(mask),
    drop: toF32(drop),
  };
};

/** float64 reference: o, lse, and the gradients of Σ o·dout. */
const reference = (c: Case, x: ReturnType<typeof inputs>) => {
  const { batch, heads, seq: t, headDim: d } = c;
  const cols = heads * d;
  const scale = 1 / Math.sqrt(d);
  const n = batch * t * cols;
  const [o, dq, dk, dv] = [
    new Float64Array(n),
    new Float64Array(n),
    new Float64Array(n),
    new Float64Array(n),
  ];
  const lse = new Float64Array(batch * heads * t);
  const at = (b: number, i: number, h: number, e: number) => (b * t + i) * cols + h * d + e;
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < heads; h++) {
      const dropAt = (i: number, j: number) => (c.dropout ? x.drop[((b * heads + h) * t + i) * t + j]! : 1);
      const p: number[][] = [];
      for (let i = 0; i < t; i++) {
        const limit = c.causal ? i + 1 : t;
        const s = Array.from({ length: limit }, (_, j) => {
          let dot = 0;
          for (let e = 0; e < d; e++) dot += x.q[at(b, i, h, e)]! * x.k[at(b, j, h, e)]!;
          // float32 loses the score beside -1e9 (its spacing there is 64): a padded key scores -1e9.
          const masked = c.padded && x.mask[b * t + j]! !== 0;
          return masked ? x.mask[b * t + j]! : dot * scale;
        });
        const m = Math.max(...s);
        const sum = s.reduce((acc, v) => acc + Math.exp(v - m), 0);
        lse[(b * heads + h) * t + i] = m + Math.log(sum);
        p.push(s.map((v) => Math.exp(v - m) / sum));
        for (let e = 0; e < d; e++) {
          o[at(b, i, h, e)] = p[i]!.reduce((acc, pj, j) => acc + pj * dropAt(i, j) * x.v[at(b, j, h, e)]!, 0);
        }
      }
      for (let i = 0; i < t; i++) {
        const dp = p[i]!.map((_, j) => {
          let dot = 0;
          for (let e = 0; e < d; e++) dot += x.dout[at(b, i, h, e)]! * x.v[at(b, j, h, e)]!;
          return dot * dropAt(i, j);
        });
        const delta = p[i]!.reduce((acc, pj, j) => acc + pj * dp[j]!, 0);
        p[i]!.forEach((pj, j) => {
          const ds = pj * (dp[j]! - delta) * scale;
          for (let e = 0; e < d; e++) {
            dq[at(b, i, h, e)]! += ds * x.k[at(b, j, h, e)]!;
            dk[at(b, j, h, e)]! += ds * x.q[at(b, i, h, e)]!;
            dv[at(b, j, h, e)]! += pj * dropAt(i, j) * x.dout[at(b, i, h, e)]!;
          }
        });
      }
    }
  }
  return { o, lse, dq, dk, dv };
};

describe.each(runtimeConfigs)("fused attention on $name", ({ options }) => {
  const runtime = useRuntime(options);

  it("forward and backward match float64 (causal, padded, dropout, odd and unit lengths)", () => {
    fc.assert(
      fc.property(cases, (c) => {
        const rt = runtime();
        const x = inputs(c);
        const want = reference(c, x);
        const n = x.q.length;
        const [q, k, v, dout] = [upload(rt, x.q), upload(rt, x.k), upload(rt, x.v), upload(rt, x.dout)];
        const mask = c.padded ? upload(rt, x.mask) : 0;
        const drop = c.dropout ? upload(rt, x.drop) : 0;
        const [o, dq, dk, dv] = [rt.alloc(n * 4), rt.alloc(n * 4), rt.alloc(n * 4), rt.alloc(n * 4)];
        const stats = rt.alloc(c.batch * c.heads * c.seq * 8);
        const args = {
          q,
          k,
          v,
          o,
          stats,
          mask,
          drop,
          batch: c.batch,
          seq: c.seq,
          heads: c.heads,
          headDim: c.headDim,
          scale: 1 / Math.sqrt(c.headDim),
          causal: c.causal,
        };
        rt.attentionForward(args);
        expectClose(download(rt, o, n), want.o, 2e-6, 2e-5);
        const rowStats = download(rt, stats, 2 * want.lse.length);
        const lse = want.lse.map((_, r) => rowStats[2 * r]! - Math.log(rowStats[2 * r + 1]!));
        expectClose(lse, want.lse, 1e-5, 1e-6);
        rt.attentionBackward({ ...args, dout, dq, dk, dv });
        expectClose(download(rt, dq, n), want.dq, 1e-5, 1e-4);
        expectClose(download(rt, dk, n), want.dk, 1e-5, 1e-4);
        expectClose(download(rt, dv, n), want.dv, 1e-5, 1e-4);
        for (const ptr of [q, k, v, dout, o, dq, dk, dv, stats, mask, drop]) if (ptr) rt.free(ptr);
      }),
      { numRuns: 120 },
    );
    expect(runtime().liveAllocations()).toBe(0);
  });

  it("masked keys get exactly zero weight: o does not change when their values do", () => {
    fc.assert(
      fc.property(cases, (c) => {
        const rt = runtime();
        const x = inputs({ ...c, causal: true, padded: false, dropout: false });
        const n = x.q.length;
        const [q, k] = [upload(rt, x.q), upload(rt, x.k)];
        const run = (values: Float64Array) => {
          const [v, o, stats] = [
            upload(rt, values),
            rt.alloc(n * 4),
            rt.alloc(c.batch * c.heads * c.seq * 8),
          ];
          const args = { batch: c.batch, seq: c.seq, heads: c.heads, headDim: c.headDim };
          rt.attentionForward({ q, k, v, o, stats, ...args, scale: 0.5, causal: true });
          const out = download(rt, o, n);
          for (const p of [v, o, stats]) rt.free(p);
          return out;
        };
        // Changing the last position's value changes no output row but the last one's.
        const cols = c.heads * c.headDim;
        const bumped = Float64Array.from(x.v, (val, i) =>
          Math.floor(i / cols) % c.seq === c.seq - 1 ? val + 1e6 : val,
        );
        const [a, b] = [run(x.v), run(bumped)];
        a.forEach((val, i) => {
          if (Math.floor(i / cols) % c.seq !== c.seq - 1) expect(b[i]).toBe(val);
        });
        rt.free(q);
        rt.free(k);
      }),
      { numRuns: 30 },
    );
  });
});
