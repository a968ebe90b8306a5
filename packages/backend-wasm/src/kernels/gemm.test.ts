import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { download, randomFloats, runtimeConfigs, toF32, upload, useRuntime } from "../test-utils/runtimes.js";

interface Case {
  batch: number;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  padA: number;
  padB: number;
  padC: number;
  broadcastA: boolean;
  broadcastB: boolean;
  accumulate: boolean;
  alpha: number;
  seed: number;
  /** Sets every n-th entry of A to ±1e-40 (a float32 subnormal). */
  subnormalEvery?: number;
}

/** Float64 reference: returns expected C and the bound sum |alpha| * |a||b| used for the tolerance. */
function reference(c: Case, a: Float64Array, b: Float64Array, c0: Float64Array) {
  const { batch, m, n, k, transA, transB } = c;
  const lda = (transA ? m : k) + c.padA;
  const ldb = (transB ? k : n) + c.padB;
  const ldc = n + c.padC;
  const sA = c.broadcastA ? 0 : (transA ? k : m) * lda;
  const sB = c.broadcastB ? 0 : (transB ? n : k) * ldb;
  const sC = m * ldc;
  const want = Float64Array.from(c0);
  const bound = new Float64Array(c0.length);
  for (let bi = 0; bi < batch; bi++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        let abs = 0;
        for (let p = 0; p < k; p++) {
          const av = a[bi * sA + (transA ? p * lda + i : i * lda + p)]!;
          const bv = b[bi * sB + (transB ? j * ldb + p : p * ldb + j)]!;
          s += av * bv;
          abs += Math.abs(av * bv);
        }
        const at = bi * sC + i * ldc + j;
        want[at] = c.alpha * s + (c.accumulate ? c0[at]! : 0);
        bound[at] = Math.abs(c.alpha) * abs + (c.accumulate ? Math.abs(c0[at]!) : 0);
      }
    }
  }
  return { want, bound, lda, ldb, ldc, sA, sB, sC };
}

type Range = readonly [min: number, max: number];

const caseArb = (
  maxDim: number,
  maxBatch: number,
  { m = [1, maxDim], n = [1, maxDim], k = [0, maxDim] }: { m?: Range; n?: Range; k?: Range } = {},
) =>
  fc.record({
    batch: fc.integer({ min: 1, max: maxBatch }),
    m: fc.integer({ min: m[0], max: m[1] }),
    n: fc.integer({ min: n[0], max: n[1] }),
    k: fc.integer({ min: k[0], max: k[1] }),
    transA: fc.boolean(),
    transB: fc.boolean(),
    padA: fc.integer({ min: 0, max: 3 }),
    padB: fc.integer({ min: 0, max: 3 }),
    padC: fc.integer({ min: 0, max: 3 }),
    broadcastA: fc.boolean(),
    broadcastB: fc.boolean(),
    accumulate: fc.boolean(),
    alpha: fc.constantFrom(1, -0.5, 0.125),
    seed: fc.integer(),
  });

describe.each(runtimeConfigs)("gemm on $name", ({ options }) => {
  const runtime = useRuntime(options);

  function check(c: Case) {
    const rt = runtime();
    const { m, n, k, batch } = c;
    const lda = (c.transA ? m : k) + c.padA;
    const ldb = (c.transB ? k : n) + c.padB;
    const sizeA = (c.broadcastA ? 1 : batch) * (c.transA ? k : m) * lda;
    const sizeB = (c.broadcastB ? 1 : batch) * (c.transB ? n : k) * ldb;
    const sizeC = batch * m * (n + c.padC);
    const a = toF32(randomFloats(c.seed, sizeA));
    if (c.subnormalEvery) for (let i = 0; i < sizeA; i += c.subnormalEvery) a[i] = i % 2 ? 1e-40 : -1e-40;
    const b = toF32(randomFloats(c.seed + 1, sizeB));
    const c0 = toF32(randomFloats(c.seed + 2, sizeC));
    const ref = reference(c, a, b, c0);
    const pa = upload(rt, a);
    const pb = upload(rt, b);
    const pc = upload(rt, c0);
    try {
      rt.gemm({
        batch,
        m,
        n,
        k,
        a: pa,
        b: pb,
        c: pc,
        transA: c.transA,
        transB: c.transB,
        lda: ref.lda,
        ldb: ref.ldb,
        ldc: ref.ldc,
        strideA: ref.sA,
        strideB: ref.sB,
        strideC: ref.sC,
        alpha: c.alpha,
        accumulate: c.accumulate,
      });
      const got = download(rt, pc, sizeC);
      for (let i = 0; i < sizeC; i++) {
        const isPad = i % ref.ldc >= n;
        // Padding columns of C must stay untouched; the rest within f32 rounding of the f64 product.
        const tol = isPad ? 0 : 2e-6 * (ref.bound[i]! + 1) + 1e-6 * Math.sqrt(k);
        if (!(Math.abs(got[i]! - ref.want[i]!) <= tol)) {
          throw new Error(`C[${i}] = ${got[i]}, expected ${ref.want[i]} (tol ${tol})`);
        }
      }
    } finally {
      rt.free(pa);
      rt.free(pb);
      rt.free(pc);
    }
  }

  it("matches a float64 reference on random shapes, transposes, strides and broadcasts", () => {
    fc.assert(fc.property(caseArb(19, 4), check), { numRuns: 150 });
  });

  it("matches the reference across the cache-blocking edges (k > 256, m > 128, n > 512)", () => {
    const base = { padA: 1, padB: 0, padC: 2, broadcastA: false, broadcastB: false, alpha: 1, seed: 7 };
    check({ ...base, batch: 1, m: 133, n: 523, k: 261, transA: false, transB: false, accumulate: true });
    check({ ...base, batch: 1, m: 131, n: 37, k: 300, transA: true, transB: true, accumulate: false });
    check({ ...base, batch: 3, m: 9, n: 530, k: 5, transA: false, transB: true, accumulate: false });
    check({ ...base, batch: 1, m: 21, n: 600, k: 270, transA: true, transB: false, accumulate: false });
  });

  it("matches the reference on narrow, deep and tall products (deeper K blocks)", () => {
    // n <= 256 makes the kernel take K in blocks of 512 instead of 256 (here n <= 40 keeps it cheap;
    // k > 512: two or more passes over C, the row block shrunk to match), with m up to 3n.
    fc.assert(fc.property(caseArb(0, 2, { m: [1, 120], n: [1, 40], k: [500, 1100] }), check), {
      numRuns: 12,
    });
  });

  it("reads subnormal entries of A as 0 on every path (in place, copied rows, transposed panels)", () => {
    // A block of A that holds a subnormal is read from a flushed copy: its offsets must match the
    // in-place path across row and depth blocks, strides and broadcasts. 1e-40·b is far below the
    // tolerance, so the float64 product with the subnormals kept is the reference.
    const withSubnormals = (c: Case): Case => ({ ...c, subnormalEvery: 3 });
    fc.assert(
      fc.property(caseArb(19, 3), (c) => check(withSubnormals(c))),
      { numRuns: 60 },
    );
    fc.assert(
      fc.property(caseArb(0, 2, { m: [120, 140], n: [1, 40], k: [250, 600] }), (c) =>
        check(withSubnormals(c)),
      ),
      { numRuns: 6 },
    );
  });

  it("splits large batched products and leaves no allocations behind", () => {
    fc.assert(fc.property(caseArb(40, 8), check), { numRuns: 15 });
    expect(runtime().liveAllocations()).toBe(0);
  });

  it("rejects addresses outside the heap with a message naming the operand", () => {
    const rt = runtime();
    const a = rt.alloc(16);
    expect(() => rt.gemm({ m: 2, n: 2, k: 2, a, b: 0, c: a })).toThrow(/gemm: B spans/);
    expect(() => rt.gemm({ m: 2, n: 2, k: 2, a, b: a, c: a, lda: 1 })).toThrow(/leading dimensions/);
    rt.free(a);
  });
});
