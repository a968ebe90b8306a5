/**
 * `pnpm exec tsx --conditions=source bench/optimizer-step.ts` (from examples/): the time of one
 * optimizer update over a GPT-2 parameter tree on the wasm backend, gradients random: AdamW alone
 * (`opt.update` + `applyUpdates`) and with global-norm clipping in front (the training step's chain),
 * each with the backend's fused AdamW kernel and without it (the same backend minus its
 * `fusedUpdates`: optim's chain scaleByAdam → addDecayedWeights → scaleByLearningRate, leaf by leaf). Config (b) of train-step.ts: vocab 8192, 4 layers, d 256,
 * 4 heads (~5M parameters). SCRATCHGRAD_BENCH_THREADS and SCRATCHGRAD_BENCH_STEPS as in train-step.ts.
 */
import os from "node:os";
import { createWasmBackend } from "@scratchgrad/backend-wasm";
import { requireQuietMachine } from "@scratchgrad/backend-wasm/machine";
import { gpt2, gpt2Config } from "@scratchgrad/nn";
import { adamw, chain, clipByGlobalNorm, decayMask, type GradientTransformation } from "@scratchgrad/optim";
import * as sg from "@scratchgrad/tensor";
import { timeOptimizerUpdate } from "./optimizer-timing.js";

await requireQuietMachine();

const threads = Number(process.env.SCRATCHGRAD_BENCH_THREADS ?? os.availableParallelism());
const steps = Number(process.env.SCRATCHGRAD_BENCH_STEPS ?? 15);

const backend = await createWasmBackend({ threads });
const variants: [string, sg.Backend][] = [
  ["primitives", { ...backend, fusedUpdates: undefined }],
  ["fused", backend],
];
const model = gpt2(
  gpt2Config("gpt2-tiny", { vocab_size: 8192, n_layer: 4, n_embd: 256, n_head: 4, n_positions: 128 }),
);

const time = (label: string, makeOpt: (params: unknown) => GradientTransformation<unknown>) => {
  for (const [name, variant] of variants) {
    sg.withBackend(variant, () => timeOptimizerUpdate(`${label}, ${name}`, model, makeOpt, steps));
  }
};

console.log(
  `optimizer update, ${(model.countParams() / 1e6).toFixed(2)}M params, ${backend.name}, node ${process.version}`,
);
const options = (params: unknown) => ({ learningRate: 3e-4, weightDecay: 0.01, mask: decayMask(params) });
time("adamw + applyUpdates", (p) => adamw(options(p)) as GradientTransformation<unknown>);
time(
  "clipByGlobalNorm(1) + adamw + applyUpdates",
  (p) => chain(clipByGlobalNorm(1), adamw(options(p))) as GradientTransformation<unknown>,
);
await backend.close();
