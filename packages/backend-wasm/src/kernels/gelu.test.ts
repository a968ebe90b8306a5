import fc from "fast-check";
import { describe, it } from "vitest";
import {
  download,
  expectClose,
  randomFloats,
  runtimeConfigs,
  toF32,
  upload,
  useRuntime,
} from "../test-utils/runtimes.js";

// erf by its Maclaurin series / continued fraction is overkill: 1 - erfc via a high-precision
// rational approximation (W. J. Cody) is not in Math, so integrate exp(-t^2) with Simpson's rule.
function erf(x: number): number {
  const n = 2000;
  const h = x / n;
  let s = 1 + Math.exp(-x * x);
  for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * Math.exp(-((i * h) ** 2));
  return ((2 / Math.sqrt(Math.PI)) * s * h) / 3;
}

const S = Math.sqrt(2 / Math.PI);
const geluTanh = (x: number) => 0.5 * x * (1 + Math.tanh(S * (x + 0.044715 * x ** 3)));
const geluTanhGrad = (x: number) => {
  const t = Math.tanh(S * (x + 0.044715 * x ** 3));
  return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * S * (1 + 3 * 0.044715 * x * x);
};
const geluErf = (x: number) => 0.5 * x * (1 + erf(x / Math.SQRT2));
const geluErfGrad = (x: number) =>
  0.5 * (1 + erf(x / Math.SQRT2)) + (x * Math.exp((-x * x) / 2)) / Math.sqrt(2 * Math.PI);

const problem = fc.record({
  n: fc.integer({ min: 1, max: 70 }),
  exact: fc.boolean(),
  range: fc.constantFrom(1, 4, 12),
  seed: fc.integer(),
});

describe.each(runtimeConfigs)("gelu on $name", ({ options }) => {
  const runtime = useRuntime(options);

  it("forward matches the tanh and erf definitions", () => {
    fc.assert(
      fc.property(problem, ({ n, exact, range, seed }) => {
        const rt = runtime();
        const x = toF32(randomFloats(seed, n, -range, range));
        const px = upload(rt, x);
        const py = rt.alloc(n * 4);
        rt.gelu({ x: px, y: py, n, exact });
        expectClose(download(rt, py, n), x.map(exact ? geluErf : geluTanh), 1e-6, 1e-5);
        rt.free(px);
        rt.free(py);
      }),
      { numRuns: 60 },
    );
  });

  it("backward is dy times the derivative (checked against the closed form)", () => {
    fc.assert(
      fc.property(problem, ({ n, exact, range, seed }) => {
        const rt = runtime();
        const x = toF32(randomFloats(seed, n, -range, range));
        const dy = toF32(randomFloats(seed + 1, n));
        const want = x.map((v, i) => dy[i]! * (exact ? geluErfGrad(v) : geluTanhGrad(v)));
        const [px, pdy] = [upload(rt, x), upload(rt, dy)];
        rt.geluBackward({ x: px, dy: pdy, dx: pdy, n, exact });
        expectClose(download(rt, pdy, n), want, 2e-6, 1e-5);
        rt.free(px);
        rt.free(pdy);
      }),
      { numRuns: 60 },
    );
  });

  it("the derivative agrees with a central difference of the forward", () => {
    const h = 1e-4;
    for (const x of [-3, -1, -0.1, 0, 0.3, 1.7, 4]) {
      const fd = (geluTanh(x + h) - geluTanh(x - h)) / (2 * h);
      expectClose([geluTanhGrad(x)], [fd], 1e-7);
      const fdErf = (geluErf(x + h) - geluErf(x - h)) / (2 * h);
      expectClose([geluErfGrad(x)], [fdErf], 1e-7);
    }
  });
});
