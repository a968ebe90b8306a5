import fc from "fast-check";
import { expect } from "vitest";
import { vjp } from "../autodiff/transforms.js";
import type { Backend } from "../backends/backend.js";
import { gpujsBackend } from "../backends/gpujs/default.js";
import { withBackend } from "../backends/select.js";
import { scope } from "../core/memory.js";
import type { Tensor } from "../core/tensor.js";
import { tensor } from "../ops/creation.js";
import type { Ref } from "./reference.js";

/**
 * The backends every test runs on in CI: GPU.js's WebAssembly and cpu modes. Another package's
 * conformance suite (backend-wasm) sets `globalThis.__scratchgradTestBackends` before importing these
 * test files, to run the very same properties on its backend.
 */
export const testBackends: [string, Backend][] = (
  globalThis as { __scratchgradTestBackends?: [string, Backend][] }
).__scratchgradTestBackends ?? [
  ["webasm", gpujsBackend("webasm")],
  ["cpu", gpujsBackend("cpu")],
];

/** An input of an op under test: float values (differentiable) or fixed int32 indices. */
export interface Input {
  readonly shape: readonly number[];
  readonly values: readonly number[];
  readonly dtype?: "float32" | "int32" | "bool";
}

export interface OpCase {
  readonly inputs: readonly Input[];
  /** The operation under test, on tensors. */
  readonly impl: (...xs: Tensor[]) => Tensor;
  /** Its float64 reference, on the same inputs. */
  readonly ref: (...xs: Ref[]) => Ref;
  /** Skip the gradient check (non-differentiable outputs). */
  readonly noGrad?: boolean;
  readonly atol?: number;
  readonly gradTol?: number;
}

const toRef = (x: Input): Ref => ({ data: Float64Array.from(x.values), shape: x.shape });

/** Deterministic pseudo-random values for directions and cotangents (no Math.random in tests). */
const wave = (n: number, seed: number): Float64Array =>
  Float64Array.from({ length: n }, (_, i) => Math.sin(1.7 * i + seed * 2.3) * 0.9 + 0.1);

const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

/**
 * tinygrad's helper_test_op for scratchgrad: checks forward values against the float64 reference and
 * the VJP against central finite differences of the reference through the adjoint identity
 * ⟨t, vjp(c)⟩ = ⟨(f(x+εt) − f(x−εt)) / 2ε, c⟩ for a direction t and cotangent c.
 */
export const checkOp = (c: OpCase): void => {
  scope(() => {
    const atol = c.atol ?? 1e-4;
    const xs = c.inputs.map((x) => tensor(Float32Array.from(x.values), x.shape, x.dtype ?? "float32"));
    const expected = c.ref(...c.inputs.map(toRef));
    const [out, pullback] = vjp((...a: Tensor[]) => c.impl(...a), ...xs);
    expect(out.shape).toEqual(expected.shape);
    const got = out.data();
    for (let i = 0; i < got.length; i++) {
      const e = expected.data[i]!;
      if (Math.abs(got[i]! - e) > atol + 1e-4 * Math.abs(e)) {
        throw new Error(
          `forward mismatch at ${i}: got ${got[i]}, expected ${e} (shapes ${c.inputs.map((x) => `[${x.shape}]`).join(" ")})`,
        );
      }
    }
    if (c.noGrad || out.dtype !== "float32") return;
    const ct = wave(out.size, 1);
    const grads = pullback(tensor(Float32Array.from(ct), out.shape) as never) as unknown as Tensor[];
    const diffIdx = c.inputs.flatMap((x, i) => ((x.dtype ?? "float32") === "float32" ? [i] : []));
    const dirs = c.inputs.map((x, i) => wave(x.values.length, 7 + i));
    let lhs = 0;
    let scale = 0;
    for (const i of diffIdx) {
      const g = grads[i]!.data();
      expect(grads[i]!.shape).toEqual(c.inputs[i]!.shape);
      lhs += dot(dirs[i]!, g);
      for (let j = 0; j < g.length; j++) scale += Math.abs(dirs[i]![j]! * g[j]!);
    }
    const eps = 1e-5;
    const shifted = (sign: number): Ref =>
      c.ref(
        ...c.inputs.map((x, i) =>
          diffIdx.includes(i)
            ? { data: Float64Array.from(x.values, (v, j) => v + sign * eps * dirs[i]![j]!), shape: x.shape }
            : toRef(x),
        ),
      );
    const plus = shifted(1).data;
    const minus = shifted(-1).data;
    let rhs = 0;
    for (let j = 0; j < ct.length; j++) rhs += ((plus[j]! - minus[j]!) / (2 * eps)) * ct[j]!;
    const tol = (c.gradTol ?? 2e-3) * (1 + scale + Math.abs(rhs));
    if (!(Math.abs(lhs - rhs) <= tol)) {
      throw new Error(
        `VJP mismatch: ⟨t, vjp(c)⟩ = ${lhs}, finite differences give ${rhs} (shapes ${c.inputs.map((x) => `[${x.shape}]`).join(" ")})`,
      );
    }
  });
};

/** Runs `body` with each test backend as the default. */
export const onBackend = <T>(backend: Backend, body: () => T): T => withBackend(backend, body);

// ---- fast-check arbitraries ----

/** A shape of rank in [minRank, maxRank] with dims in [1, maxDim]. */
export const shapeArb = (minRank = 0, maxRank = 4, maxDim = 5): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: 1, max: maxDim }), { minLength: minRank, maxLength: maxRank });

/** `n` shapes that broadcast together: each drops leading dims and sets some dims to 1. */
export const broadcastShapesArb = (n: number, maxRank = 4, maxDim = 4): fc.Arbitrary<number[][]> =>
  shapeArb(0, maxRank, maxDim).chain((out) =>
    fc.tuple(
      ...Array.from({ length: n }, () =>
        fc
          .tuple(
            fc.integer({ min: 0, max: out.length }),
            fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
          )
          .map(([drop, ones]) => out.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d))),
      ),
    ),
  );

/** Float values for a shape, in [lo, hi], away from float32 noise. */
export const valuesArb = (shape: readonly number[], lo = -2, hi = 2): fc.Arbitrary<number[]> => {
  const n = shape.reduce((a, b) => a * b, 1);
  return fc.array(fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true }).map(Math.fround), {
    minLength: n,
    maxLength: n,
  });
};

/** An input arbitrary for a given shape. */
export const inputArb = (shape: readonly number[], lo = -2, hi = 2): fc.Arbitrary<Input> =>
  valuesArb(shape, lo, hi).map((values) => ({ shape, values }));

/**
 * Number of fast-check runs per property: enough to hit edge shapes, few enough for CI on 2 cores.
 * SCRATCHGRAD_PROPERTY_RUNS sets it in Node; a browser suite sets `globalThis.__scratchgradPropertyRuns`
 * before importing the suites (every new shape compiles new shaders on the GL modes).
 */
export const RUNS = Number(
  (globalThis as { __scratchgradPropertyRuns?: number }).__scratchgradPropertyRuns ??
    (typeof process === "undefined" ? undefined : process.env.SCRATCHGRAD_PROPERTY_RUNS) ??
    25,
);
