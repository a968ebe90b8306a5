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
  random,
  randomArrays,
  scope,
  tensor,
  withBackend,
} from "@scratchgrad/tensor";
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
