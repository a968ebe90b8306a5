/**
 * Timings per backend in Chromium (`pnpm --filter @scratchgrad/browser-tests bench:browser`): a 256³
 * GEMM (tensor matmul, result read back) and one training step of the tiny GPT-2 of
 * src/workload/train-steps.ts. Medians after warm-up (the first calls compile kernels and shaders).
 * In a headless run WebGL is SwiftShader, the CPU rasteriser: its figure says nothing of a real GPU.
 */
import { createWasmBackend } from "@scratchgrad/backend-wasm";
import {
  type Backend,
  gpujsBackend,
  matmul,
  primitiveTable,
  random,
  randomArrays,
  scope,
  tensor,
  withBackend,
} from "@scratchgrad/tensor";
import gpujs from "gpu.js";
import { afterAll, expect, it } from "vitest";
import { trainSteps } from "../src/workload/train-steps.js";

const wasm = await createWasmBackend({ threads: 2 });
afterAll(() => wasm.close());

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const gemmMs = (backend: Backend, n: number, repeats: number): number =>
  withBackend(backend, () => {
    const a = tensor(randomArrays.uniform(random.key(1), n * n), [n, n]);
    const b = tensor(randomArrays.uniform(random.key(2), n * n), [n, n]);
    const times: number[] = [];
    for (let i = 0; i < repeats + 2; i++) {
      const start = performance.now();
      scope(() => matmul(a, b).data());
      if (i >= 2) times.push(performance.now() - start);
    }
    a.dispose();
    b.dispose();
    return median(times);
  });

const modes: [string, () => Backend][] = [
  ["wasm backend, 2 threads", () => wasm],
  ["gpu.js webgl2 (SwiftShader)", () => gpujsBackend("webgl2")],
  ["gpu.js cpu", () => gpujsBackend("cpu")],
];

// GPU.js's webgpu kernels return Promises, which the synchronous engine cannot drive: the GEMM alone is
// timed there, as the matmul primitive's own GPU.js kernel awaited with its result read back.
it("gpu.js webgpu (SwiftShader): 256³ GEMM", async () => {
  const n = 256;
  const a = { shape: [n, n], dtype: "float32" as const };
  const source = primitiveTable.matmul.gpujs([a, a], { transA: false, transB: false }, a);
  const { GPU } = gpujs as unknown as {
    GPU: new (s: {
      mode: string;
    }) => {
      createKernel(src: string, o: object): (...x: Float32Array[]) => Promise<Float32Array>;
    };
  };
  const kernel = new GPU({ mode: "webgpu" }).createKernel(source, { output: [n * n], precision: "single" });
  const x = randomArrays.uniform(random.key(1), n * n);
  const y = randomArrays.uniform(random.key(2), n * n);
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    await kernel(x, y);
    if (i >= 2) times.push(performance.now() - start);
  }
  const gemm = median(times);
  console.log(
    `gpu.js webgpu (SwiftShader): GEMM ${n}³ ${gemm.toFixed(1)} ms (${((2 * n ** 3) / (gemm * 1e6)).toFixed(2)} GFLOP/s)`,
  );
  expect(Number.isFinite(gemm)).toBe(true);
});

it.each(modes)("%s: 256³ GEMM and a training step", (name, make) => {
  const backend = make();
  const n = 256;
  const gemm = gemmMs(backend, n, 5);
  const { stepMs } = withBackend(backend, () => trainSteps(4));
  const step = median(stepMs.slice(1));
  const gflops = (2 * n ** 3) / (gemm * 1e6);
  console.log(
    `${name}: GEMM ${n}³ ${gemm.toFixed(1)} ms (${gflops.toFixed(2)} GFLOP/s); ` +
      `tiny GPT-2 step (B=4, T=16) ${step.toFixed(1)} ms; first step ${stepMs[0]!.toFixed(0)} ms`,
  );
  expect(Number.isFinite(gemm) && Number.isFinite(step)).toBe(true);
});
