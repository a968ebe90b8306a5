/**
 * `pnpm --filter examples bench`: training-step throughput (forward + backward + clip + AdamW, dropout
 * 0) of GPT-2-architecture models on random tokens, beside PyTorch's reference step
 * (`../shared/bench/torch_gpt_step.py`, same arguments, run in the same process tree right after), and
 * the ratio. Configs (issue #4/#5): (a) vocab 8192, 2 layers, d 128; (b) vocab 8192, 4 layers, d 256;
 * 4 heads, batch 8 × 128. SCRATCHGRAD_BENCH_CONFIGS=a,b,c,w,w192,w128 selects (c = GPT-2 small, slow; w = the default word-level train:gpt2, w192/w128 narrower ones).
 * SCRATCHGRAD_PROFILE=1 prints the per-primitive profile of our step; SCRATCHGRAD_BENCH_DROPOUT=0.1
 * turns dropout on (PyTorch's reference step runs without it); SCRATCHGRAD_BENCH_TORCH=0 skips PyTorch.
 * SCRATCHGRAD_BENCH_CPUPROF=file.cpuprofile writes a V8 CPU profile of the main thread over the timed
 * steps only (open it in Chrome DevTools); the profile line also reports garbage-collection time.
 * It prints the CPU first and refuses to time on a busy machine (SCRATCHGRAD_BENCH_FORCE=1 overrides).
 */
import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import os from "node:os";
import { join } from "node:path";
import { PerformanceObserver } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { createWasmBackend } from "@scratchgrad/backend-wasm";
import { requireQuietMachine } from "@scratchgrad/backend-wasm/machine";
import { causalLmLoss } from "@scratchgrad/lm-objectives";
import { gpt2, gpt2Config } from "@scratchgrad/nn";
import { adamw, applyUpdates, chain, clipByGlobalNorm, decayMask } from "@scratchgrad/optim";
import * as sg from "@scratchgrad/tensor";

const CONFIGS = {
  a: { vocab: 8192, layers: 2, d: 128, heads: 4 },
  b: { vocab: 8192, layers: 4, d: 256, heads: 4 },
  c: { vocab: 50257, layers: 12, d: 768, heads: 12 },
  // The default train:gpt2 on wikitext-2-v1: word-level vocabulary (every training word), gpt2-small-cpu.
  w: { vocab: 33278, layers: 4, d: 256, heads: 4 },
  // Narrower word-level models: the 33,278-word head costs ∝ d, so these trade width for epochs.
  w192: { vocab: 33278, layers: 4, d: 192, heads: 4 },
  w128: { vocab: 33278, layers: 4, d: 128, heads: 4 },
} as const;
const BLOCK = 128;
const BATCH = 8;
const threads = Number(process.env.SCRATCHGRAD_BENCH_THREADS ?? os.availableParallelism());
const steps = Number(process.env.SCRATCHGRAD_BENCH_STEPS ?? 20);
const selected = (process.env.SCRATCHGRAD_BENCH_CONFIGS ?? "a,b").split(",") as (keyof typeof CONFIGS)[];
const torchScript = join(
  fileURLToPath(new URL("../../..", import.meta.url)),
  "shared/bench/torch_gpt_step.py",
);

const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)]!;

/** Main-thread CPU profile of `fn` (V8's sampling profiler through the inspector), written to `file`. */
const withCpuProfile = (file: string | undefined, fn: () => void): void => {
  if (!file) {
    fn();
    return;
  }
  // A session on the main thread answers synchronously, so the profile covers exactly `fn`.
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 200 });
  session.post("Profiler.start");
  fn();
  session.post("Profiler.stop", (err, result) => {
    if (err) throw err;
    writeFileSync(file, JSON.stringify(result.profile));
  });
  session.disconnect();
};

const ours = async (cfg: (typeof CONFIGS)[keyof typeof CONFIGS]) => {
  const backend = await createWasmBackend({ threads });
  sg.useBackend(backend);
  const pdrop = Number(process.env.SCRATCHGRAD_BENCH_DROPOUT ?? 0);
  const config = gpt2Config("gpt2-tiny", {
    vocab_size: cfg.vocab,
    n_layer: cfg.layers,
    n_embd: cfg.d,
    n_head: cfg.heads,
    n_positions: BLOCK,
    resid_pdrop: pdrop,
    embd_pdrop: pdrop,
    attn_pdrop: pdrop,
  });
  const model = gpt2(config);
  let params = model.init(sg.random.key(0));
  const opt = chain(
    clipByGlobalNorm(1),
    adamw({ learningRate: 3e-4, weightDecay: 0.01, mask: decayMask(params) }),
  );
  let state = opt.init(params);
  const lossFn = (p: typeof params, ids: sg.Tensor, key: sg.random.Key) =>
    causalLmLoss(model.apply(p, ids, { training: pdrop > 0, key }), ids);
  const step = (i: number) => {
    const ids = sg.random.randint(sg.random.key(1000 + i), [BATCH, BLOCK], 0, cfg.vocab);
    const next = sg.scope(() => {
      const [loss, grads] = sg.valueAndGrad(lossFn)(params, ids, sg.random.key(i));
      const [updates, s] = opt.update(grads, state, params);
      return { params: applyUpdates(params, updates) as typeof params, state: s, loss: loss.item() };
    });
    sg.disposeReplaced({ params, state }, next);
    ids.dispose();
    params = next.params;
    state = next.state;
  };
  for (let i = 0; i < 3; i++) step(i);
  if (process.env.SCRATCHGRAD_PROFILE === "1") sg.setProfiling(true);
  sg.resetProfile();
  let gcMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  });
  gc.observe({ entryTypes: ["gc"] });
  const times: number[] = [];
  withCpuProfile(process.env.SCRATCHGRAD_BENCH_CPUPROF, () => {
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      step(3 + i);
      times.push(performance.now() - t0);
    }
  });
  // gc entries arrive asynchronously
  await new Promise((resolve) => setTimeout(resolve, 0));
  gc.disconnect();
  const ms = median(times);
  const mean = times.reduce((a, b) => a + b, 0) / steps;
  const profile = sg.isProfiling()
    ? `${sg.formatProfile(steps)}\nstep mean ${mean.toFixed(2)} ms, of which garbage collection ${(gcMs / steps).toFixed(2)} ms`
    : "";
  sg.setProfiling(false);
  await backend.close();
  return {
    name: backend.name,
    ms,
    tokensPerSec: (BATCH * BLOCK * 1000) / ms,
    params: model.countParams(),
    profile,
  };
};

const torch = (cfg: (typeof CONFIGS)[keyof typeof CONFIGS]) => {
  if (process.env.SCRATCHGRAD_BENCH_TORCH === "0") return undefined;
  if (!existsSync("/usr/bin/python3") || !existsSync(torchScript)) return undefined;
  try {
    const out = execFileSync(
      "/usr/bin/python3",
      [
        torchScript,
        "--vocab",
        `${cfg.vocab}`,
        "--layers",
        `${cfg.layers}`,
        "--d",
        `${cfg.d}`,
        "--heads",
        `${cfg.heads}`,
        "--block",
        `${BLOCK}`,
        "--batch",
        `${BATCH}`,
        "--steps",
        `${steps}`,
        "--threads",
        `${threads}`,
      ],
      // Some machines of this kind set OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE (older OpenBLAS builds crash
      // on their CPUs); they pin a slower kernel (Haswell rather than Cooperlake on AMD Zen 5), so the
      // reference runs without them, as a user's PyTorch would.
      {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
        env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("OPENBLAS_"))),
      },
    );
    return JSON.parse(out.trim().split("\n").at(-1)!) as {
      tokens_per_sec: number;
      ms_per_step: number;
      blas: string[];
    };
  } catch {
    return undefined;
  }
};

await requireQuietMachine();
console.log(`training step, batch ${BATCH} × ${BLOCK}, ${threads} threads, median of ${steps} steps`);
for (const key of selected) {
  const cfg = CONFIGS[key];
  const o = await ours(cfg);
  const t = torch(cfg);
  const line = `(${key}) vocab ${cfg.vocab}, ${cfg.layers} layers, d ${cfg.d}, ${cfg.heads} heads, ${(o.params / 1e6).toFixed(2)}M params: scratchgrad ${o.tokensPerSec.toFixed(0)} tokens/s (${o.ms.toFixed(1)} ms/step, ${o.name})`;
  console.log(
    t
      ? `${line}; PyTorch ${t.tokens_per_sec.toFixed(0)} tokens/s (${t.ms_per_step} ms/step); ratio ${(o.tokensPerSec / t.tokens_per_sec).toFixed(2)}×`
      : `${line}; PyTorch not available (apt-get install python3-torch libopenblas0-openmp)`,
  );
  if (o.profile) console.log(o.profile);
}
