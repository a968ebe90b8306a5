/**
 * `pnpm bench` for @scratchgrad/tensor: matmul GFLOP/s and softmax / layerNorm / gelu times per
 * available GPU.js backend. Medians over repeated runs after a warm-up (first calls compile kernels).
 *
 * SCRATCHGRAD_BENCH_BACKENDS=cpu,webasm picks backends; SCRATCHGRAD_BENCH_QUICK=1 runs fewer repeats.
 */
import os from "node:os";
import * as sg from "../src/index.js";

// Every bench names the CPU it ran on (timings differ ~2x between this project's Intel and AMD machines).
console.log(
  `machine: ${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.availableParallelism()} cores, node ${process.version}`,
);

const quick = process.env.SCRATCHGRAD_BENCH_QUICK === "1";
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const time = (fn: () => void, repeats: number): number => {
  fn(); // warm-up: compiles the kernel
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
};

const shapes: [number, number, number][] = [
  [1024, 256, 1024],
  [1024, 1024, 256],
  [1024, 256, 8192],
  [512, 512, 512],
];

const modes =
  (process.env.SCRATCHGRAD_BENCH_BACKENDS?.split(",") as sg.GpuJsMode[] | undefined) ??
  sg.availableGpuJsModes();
console.log(`node ${process.version}, backends: ${modes.join(", ")}`);
for (const mode of modes) {
  const backend = sg.gpujsBackend(mode);
  sg.withBackend(backend, () => {
    const k = sg.random.key(0);
    console.log(`\n[gpu.js:${mode}]`);
    for (const [m, kk, n] of shapes) {
      sg.scope(() => {
        const a = sg.random.normal(sg.random.foldIn(k, 1), [m, kk]);
        const b = sg.random.normal(sg.random.foldIn(k, 2), [kk, n]);
        const ms = time(() => sg.scope(() => void sg.matmul(a, b)), quick ? 1 : 3);
        console.log(
          `matmul ${m}x${kk}x${n}: ${((2 * m * kk * n) / ms / 1e6).toFixed(2)} GFLOP/s (${ms.toFixed(1)} ms)`,
        );
      });
    }
    sg.scope(() => {
      const x = sg.random.normal(k, [1024, 1024]);
      const w = sg.ones([1024]);
      const b = sg.zeros([1024]);
      const ops: [string, () => unknown][] = [
        ["softmax", () => sg.softmax(x)],
        ["layerNorm", () => sg.layerNorm(x, w, b)],
        ["gelu (tanh)", () => sg.gelu(x, "tanh")],
      ];
      for (const [name, fn] of ops)
        console.log(
          `${name} 1024x1024: ${time(() => sg.scope(() => void fn()), quick ? 2 : 5).toFixed(1)} ms`,
        );
    });
  });
}
