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

const problem = fc
  .record({
    vocab: fc.integer({ min: 1, max: 10 }),
    dim: fc.integer({ min: 1, max: 40 }),
    rows: fc.integer({ min: 1, max: 20 }),
    seed: fc.integer(),
  })
  .chain((p) =>
    fc.record({
      vocab: fc.constant(p.vocab),
      dim: fc.constant(p.dim),
      seed: fc.constant(p.seed),
      ids: fc.array(fc.integer({ min: 0, max: p.vocab - 1 }), { minLength: p.rows, maxLength: p.rows }),
    }),
  );

describe.each(runtimeConfigs)("embedding on $name", ({ options }) => {
  const runtime = useRuntime(options);

  it("gather copies rows; scatter-add sums repeated ids", () => {
    fc.assert(
      fc.property(problem, ({ vocab, dim, seed, ids }) => {
        const rt = runtime();
        const rows = ids.length;
        const table = toF32(randomFloats(seed, vocab * dim));
        const dout = toF32(randomFloats(seed + 1, rows * dim));
        const [pt, pids, pout, pd] = [
          upload(rt, table),
          uploadInts(rt, ids),
          rt.alloc(rows * dim * 4),
          upload(rt, table),
        ];
        rt.embeddingGather({ table: pt, ids: pids, out: pout, rows, dim, vocab });
        const gathered = ids.flatMap((id) => Array.from(table.subarray(id * dim, (id + 1) * dim)));
        expect(download(rt, pout, rows * dim)).toEqual(gathered);
        const pdout = upload(rt, dout);
        rt.embeddingScatterAdd({ dout: pdout, ids: pids, dtable: pd, rows, dim, vocab });
        const want = Float64Array.from(table);
        ids.forEach((id, r) => {
          for (let c = 0; c < dim; c++) want[id * dim + c]! += dout[r * dim + c]!;
        });
        expectClose(download(rt, pd, vocab * dim), want, 1e-5);
        for (const p of [pt, pids, pout, pd, pdout]) rt.free(p);
      }),
      { numRuns: 80 },
    );
    expect(runtime().liveAllocations()).toBe(0);
  });

  it("rejects ids outside the table", () => {
    const rt = runtime();
    const [pt, pids, pout] = [upload(rt, [1, 2]), uploadInts(rt, [2]), rt.alloc(8)];
    expect(() => rt.embeddingGather({ table: pt, ids: pids, out: pout, rows: 1, dim: 1, vocab: 2 })).toThrow(
      /id 2 at row 0 is outside the table \[0, 2\)/,
    );
    for (const p of [pt, pids, pout]) rt.free(p);
  });
});
