/**
 * `pnpm exec tsx --conditions=source bench/muon-vs-adamw.ts` (from examples/): an indication, not a
 * result — a tiny GPT-2 (2 layers, d 64, vocab 64, blocks of 32) trained for a few hundred steps on
 * synthetic text from a sparse random Markov chain (each token has 3 successors, probabilities
 * 0.6/0.3/0.1: the best possible loss is their entropy, 0.898 nats), with AdamW alone and with
 * `muonWithAdamW` (Muon on the hidden matrices), same schedule (cosine, 5% warmup), same batches.
 * Prints held-out loss every 50 steps and the wall time of each run. SCRATCHGRAD_BENCH_STEPS (default
 * 300) and SCRATCHGRAD_BENCH_THREADS.
 */
import os from "node:os";
import { createWasmBackend } from "@scratchgrad/backend-wasm";
import { evalContext, gpt2, gpt2Config } from "@scratchgrad/nn";
import {
  adamw,
  applyUpdates,
  cosineWarmupDecay,
  decayMask,
  type GradientTransformation,
  muonWithAdamW,
} from "@scratchgrad/optim";
import * as sg from "@scratchgrad/tensor";

const steps = Number(process.env.SCRATCHGRAD_BENCH_STEPS ?? 300);
const threads = Number(process.env.SCRATCHGRAD_BENCH_THREADS ?? os.availableParallelism());
const [V, T, B] = [64, 32, 16];
const backend = await createWasmBackend({ threads });
sg.useBackend(backend);

// mulberry32: the synthetic corpus is the same for every run
const stream = (seed: number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};
const next = stream(7);
const successors = Array.from({ length: V }, () => [0, 1, 2].map(() => Math.floor(next() * V)));
const sample = (rand: () => number, n: number): Int32Array => {
  const out = new Int32Array(n);
  let tok = Math.floor(rand() * V);
  for (let i = 0; i < n; i++) {
    out[i] = tok;
    const u = rand();
    tok = successors[tok]![u < 0.6 ? 0 : u < 0.9 ? 1 : 2]!;
  }
  return out;
};
const batch = (rand: () => number) => sg.fromTypedArray(sample(rand, B * T), [B, T], "int32");
const heldOut = Array.from({ length: 8 }, (_, i) => sg.keep(batch(stream(1000 + i))));

const model = gpt2(
  gpt2Config("gpt2-tiny", {
    vocab_size: V,
    n_layer: 2,
    n_embd: 64,
    n_head: 2,
    n_positions: T,
    resid_pdrop: 0,
    embd_pdrop: 0,
    attn_pdrop: 0,
  }),
);
const schedule = (peak: number) =>
  cosineWarmupDecay({ peak, warmupSteps: Math.round(0.05 * steps), totalSteps: steps });

const run = (label: string, makeOpt: (params: unknown) => GradientTransformation<unknown>) => {
  let params = model.init(sg.random.key(0));
  const opt = makeOpt(params);
  let state = opt.init(params);
  const rand = stream(42);
  const lossOf = (p: unknown, inputIds: sg.Tensor) =>
    model.loss(p as typeof params, { inputIds }, evalContext);
  const evalLoss = () =>
    heldOut.reduce((s, x) => s + sg.scope(() => lossOf(params, x).item()), 0) / heldOut.length;
  const curve: string[] = [];
  const t0 = performance.now();
  for (let step = 1; step <= steps; step++) {
    const x = batch(rand);
    const nextState = sg.scope(() => {
      const [, grads] = sg.valueAndGrad((p: typeof params) => lossOf(p, x))(params);
      const [updates, s] = opt.update(grads, state, params);
      return { params: applyUpdates(params, updates), state: s };
    });
    sg.disposeReplaced({ params, state }, nextState);
    sg.dispose(x);
    params = nextState.params;
    state = nextState.state;
    if (step % 50 === 0) curve.push(`${step}: ${evalLoss().toFixed(3)}`);
  }
  const seconds = (performance.now() - t0) / 1000;
  console.log(`${label} (${seconds.toFixed(1)} s): ${curve.join(", ")}`);
  sg.dispose({ params, state });
};

console.log(
  `tiny GPT-2 ${(model.countParams() / 1e3).toFixed(0)}k params, ${steps} steps of ${B}x${T}, ${backend.name}`,
);
for (const lr of [3e-3, 1e-2])
  run(
    `adamw lr ${lr}`,
    (p) =>
      adamw({
        learningRate: schedule(lr),
        weightDecay: 0.01,
        mask: decayMask(p),
      }) as GradientTransformation<unknown>,
  );
for (const muonLr of [0.02, 0.05])
  run(
    `muon lr ${muonLr} + adamw lr 1e-2`,
    (p) =>
      muonWithAdamW({
        muon: { learningRate: schedule(muonLr), weightDecay: 0 },
        adamw: { learningRate: schedule(1e-2), weightDecay: 0.01, mask: decayMask(p) },
      }) as GradientTransformation<unknown>,
  );
await backend.close();
