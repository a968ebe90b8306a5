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

const shape = fc.record({
  rows: fc.integer({ min: 1, max: 9 }),
  cols: fc.integer({ min: 1, max: 41 }),
  offset: fc.constantFrom(0, 3),
  seed: fc.integer(),
});

describe.each(runtimeConfigs)("layerNorm on $name", ({ options }) => {
  const runtime = useRuntime(options);
  const eps = 1e-5;

  it("forward matches the float64 definition and saves mean and 1/std", () => {
    fc.assert(
      fc.property(shape, ({ rows, cols, offset, seed }) => {
        const rt = runtime();
        const x = toF32(randomFloats(seed, rows * cols, offset - 1, offset + 1));
        const gamma = toF32(randomFloats(seed + 1, cols, 0.5, 1.5));
        const beta = toF32(randomFloats(seed + 2, cols));
        const want = new Float64Array(rows * cols);
        const wantMean = new Float64Array(rows);
        const wantRstd = new Float64Array(rows);
        for (let r = 0; r < rows; r++) {
          let mu = 0;
          for (let j = 0; j < cols; j++) mu += x[r * cols + j]! / cols;
          let v = 0;
          for (let j = 0; j < cols; j++) v += (x[r * cols + j]! - mu) ** 2 / cols;
          const rs = 1 / Math.sqrt(v + eps);
          wantMean[r] = mu;
          wantRstd[r] = rs;
          for (let j = 0; j < cols; j++)
            want[r * cols + j] = (x[r * cols + j]! - mu) * rs * gamma[j]! + beta[j]!;
        }
        const [px, pg, pb] = [upload(rt, x), upload(rt, gamma), upload(rt, beta)];
        const [py, pm, pr] = [rt.alloc(rows * cols * 4), rt.alloc(rows * 4), rt.alloc(rows * 4)];
        rt.layerNorm({ x: px, gamma: pg, beta: pb, y: py, mean: pm, rstd: pr, rows, cols, eps });
        expectClose(download(rt, py, rows * cols), want, 1e-4, 1e-4); // as loose as rstd: y inherits its error
        expectClose(download(rt, pm, rows), wantMean, 1e-6, 1e-6);
        expectClose(download(rt, pr, rows), wantRstd, 1e-5, 1e-4);
        for (const p of [px, pg, pb, py, pm, pr]) rt.free(p);
      }),
      { numRuns: 80 },
    );
  });

  it("backward matches dx, dgamma, dbeta of the float64 definition (overwrite and accumulate)", () => {
    fc.assert(
      fc.property(shape, fc.boolean(), ({ rows, cols, seed }, accumulate) => {
        const rt = runtime();
        const x = toF32(randomFloats(seed, rows * cols, -2, 2));
        const dy = toF32(randomFloats(seed + 1, rows * cols));
        const gamma = toF32(randomFloats(seed + 2, cols, 0.5, 1.5));
        const prior = toF32(randomFloats(seed + 3, 2 * cols));
        const mean = new Float64Array(rows);
        const rstd = new Float64Array(rows);
        const dx = new Float64Array(rows * cols);
        const dgamma = new Float64Array(cols);
        const dbeta = new Float64Array(cols);
        for (let j = 0; j < cols; j++) {
          dgamma[j] = accumulate ? prior[j]! : 0;
          dbeta[j] = accumulate ? prior[cols + j]! : 0;
        }
        for (let r = 0; r < rows; r++) {
          let mu = 0;
          for (let j = 0; j < cols; j++) mu += x[r * cols + j]! / cols;
          let v = 0;
          for (let j = 0; j < cols; j++) v += (x[r * cols + j]! - mu) ** 2 / cols;
          mean[r] = Math.fround(mu);
          rstd[r] = Math.fround(1 / Math.sqrt(v + eps));
          let mg = 0;
          let mgx = 0;
          for (let j = 0; j < cols; j++) {
            const xh = (x[r * cols + j]! - mean[r]!) * rstd[r]!;
            const g = dy[r * cols + j]! * gamma[j]!;
            mg += g / cols;
            mgx += (g * xh) / cols;
            dgamma[j]! += dy[r * cols + j]! * xh;
            dbeta[j]! += dy[r * cols + j]!;
          }
          for (let j = 0; j < cols; j++) {
            const xh = (x[r * cols + j]! - mean[r]!) * rstd[r]!;
            dx[r * cols + j] = rstd[r]! * (dy[r * cols + j]! * gamma[j]! - mg - xh * mgx);
          }
        }
        const [px, pdy, pg, pm, pr] = [
          upload(rt, x),
          upload(rt, dy),
          upload(rt, gamma),
          upload(rt, mean),
          upload(rt, rstd),
        ];
        const pdx = rt.alloc(rows * cols * 4);
        const pdg = upload(rt, prior.subarray(0, cols));
        const pdb = upload(rt, prior.subarray(cols));
        rt.layerNormBackward({
          x: px,
          dy: pdy,
          gamma: pg,
          mean: pm,
          rstd: pr,
          dx: pdx,
          dgamma: pdg,
          dbeta: pdb,
          rows,
          cols,
          accumulate,
        });
        expectClose(download(rt, pdx, rows * cols), dx, 1e-4, 1e-4);
        expectClose(download(rt, pdg, cols), dgamma, 1e-4, 1e-4);
        expectClose(download(rt, pdb, cols), dbeta, 1e-4, 1e-4);
        for (const p of [px, pdy, pg, pm, pr, pdx, pdg, pdb]) rt.free(p);
      }),
      { numRuns: 80 },
    );
    expect(runtime().liveAllocations()).toBe(0);
  });
});
