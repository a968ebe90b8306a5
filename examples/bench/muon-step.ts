/**
 * `pnpm exec tsx --conditions=source bench/muon-step.ts` (from examples/): what Muon costs on a CPU.
 * On the word-level default model (gpt2-mini-cpu: 4 layers, d 128, vocab 33,278) and the wasm backend:
 * the median time of one optimizer update + applyUpdates with AdamW alone and with `muonWithAdamW`
 * (Muon on the 16 hidden matrices, AdamW on the rest), and of `newtonSchulz` alone on each hidden
 * matrix shape. Gradients are random. SCRATCHGRAD_BENCH_THREADS (default: all cores) and
 * SCRATCHGRAD_BENCH_STEPS (default 10).
 */
import os from "node:os";
import { createWasmBackend } from "@scratchgrad/backend-wasm";
import { requireQuietMachine } from "@scratchgrad/backend-wasm/machine";
import { gpt2, gpt2Config } from "@scratchgrad/nn";
import {
  adamw,
  decayMask,
  type GradientTransformation,
  muonWithAdamW,
  newtonSchulz,
} from "@scratchgrad/optim";
import * as sg from "@scratchgrad/tensor";
import { timeOptimizerUpdate } from "./optimizer-timing.js";

await requireQuietMachine();

const threads = Number(process.env.SCRATCHGRAD_BENCH_THREADS ?? os.availableParallelism());
const steps = Number(process.env.SCRATCHGRAD_BENCH_STEPS ?? 10);
const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)]!;

const backend = await createWasmBackend({ threads });
sg.useBackend(backend);
const model = gpt2(gpt2Config("gpt2-mini-cpu", { vocab_size: 33278, n_positions: 128 }));
console.log(
  `${(model.countParams() / 1e6).toFixed(2)}M params, ${backend.name} (${threads} threads), node ${process.version}, ${os.cpus()[0]?.model}`,
);

const timeUpdate = (label: string, makeOpt: (params: unknown) => GradientTransformation<unknown>) =>
  timeOptimizerUpdate(label, model, makeOpt, steps);

const adamwOptions = (params: unknown) => ({
  learningRate: 2e-3,
  weightDecay: 0.01,
  mask: decayMask(params),
});
timeUpdate("adamw + applyUpdates", (p) => adamw(adamwOptions(p)) as GradientTransformation<unknown>);
timeUpdate(
  "muonWithAdamW + applyUpdates",
  (p) =>
    muonWithAdamW({
      muon: { learningRate: 0.02, weightDecay: 0 },
      adamw: adamwOptions(p),
    }) as GradientTransformation<unknown>,
);
for (const shape of [
  [128, 384],
  [128, 128],
  [128, 512],
  [512, 128],
] as const) {
  const g = sg.random.normal(sg.random.key(2), shape);
  const times: number[] = [];
  for (let i = 0; i < steps + 2; i++) {
    const t0 = performance.now();
    sg.scope(() => newtonSchulz(g).data());
    if (i >= 2) times.push(performance.now() - t0);
  }
  console.log(`newtonSchulz [${shape.join(", ")}]: ${median(times).toFixed(2)} ms`);
}
await backend.close();
