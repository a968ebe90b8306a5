/**
 * `pnpm --filter examples bench`: training-step throughput (forward + backward + clip + AdamW, dropout
 * 0) of GPT-2-architecture models on random tokens, beside PyTorch's reference step
 * (`../shared/bench/torch_gpt_step.py`, same arguments, run in the same process tree right after), and
 * the ratio. Configs (issue #4/#5): (a) vocab 8192, 2 layers, d 128; (b) vocab 8192, 4 layers, d 256;
 * 4 heads, batch 8 × 128. SCRATCHGRAD_BENCH_CONFIGS=a,b,c selects (c = GPT-2 small, slow).
 * SCRATCHGRAD_PROFILE=1 prints the per-primitive profile of our step; SCRATCHGRAD_BENCH_DROPOUT=0.1
 * turns dropout on (PyTorch's reference step runs without it).
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createWasmBackend } from "@scratchgrad/backend-wasm";
import { causalLmLoss } from "@scratchgrad/lm-objectives";
import { gpt2, gpt2Config } from "@scratchgrad/nn";
import { adamw, applyUpdates, chain, clipByGlobalNorm, decayMask } from "@scratchgrad/optim";
import * as sg from "@scratchgrad/tensor";

const CONFIGS = {
  a: { vocab: 8192, layers: 2, d: 128, heads: 4 },
  b: { vocab: 8192, layers: 4, d: 256, heads: 4 },
  c: { vocab: 50257, layers: 12, d: 768, heads: 12 },
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
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    step(3 + i);
    times.push(performance.now() - t0);
  }
  const ms = median(times);
  const profile = sg.isProfiling() ? sg.formatProfile(steps) : "";
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
      { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] },
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

console.log(
  `training step, batch ${BATCH} × ${BLOCK}, ${threads} threads, median of ${steps} steps (node ${process.version})`,
);
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
