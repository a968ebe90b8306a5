import { createWasmBackend } from "@scratchgrad/backend-wasm";
import { requireQuietMachine } from "@scratchgrad/backend-wasm/machine";
import { causalLmLoss } from "@scratchgrad/lm-objectives";
import { gpt2, gpt2Config } from "@scratchgrad/nn";
import * as sg from "@scratchgrad/tensor";

await requireQuietMachine();

const backend = await createWasmBackend({ threads: 2 });
const times = new Map<string, number>();
const run = backend.run.bind(backend);
(backend as { run: typeof run }).run = (p, inputs, params, out) => {
  const t0 = performance.now();
  const r = run(p, inputs, params, out);
  if (p === "matmul") {
    const k = `${inputs.map((x) => `[${x.shape}]`).join("·")} ${JSON.stringify(params)}`;
    times.set(k, (times.get(k) ?? 0) + performance.now() - t0);
  }
  return r;
};
sg.useBackend(backend);
// SCRATCHGRAD_BENCH_VOCAB=33278 gives the word-level train:gpt2 default's head.
const vocab = Number(process.env.SCRATCHGRAD_BENCH_VOCAB ?? 8192);
const config = gpt2Config("gpt2-tiny", {
  vocab_size: vocab,
  n_layer: 4,
  n_embd: 256,
  n_head: 4,
  n_positions: 128,
  resid_pdrop: 0,
  embd_pdrop: 0,
  attn_pdrop: 0,
});
const model = gpt2(config);
const params = model.init(sg.random.key(0));
const ids = sg.random.randint(sg.random.key(1), [8, 128], 0, vocab);
const f = (p: typeof params) => causalLmLoss(model.apply(p, ids, { training: false }), ids);
for (let i = 0; i < 2; i++) sg.scope(() => void sg.valueAndGrad(f)(params));
times.clear();
for (let i = 0; i < 3; i++) sg.scope(() => void sg.valueAndGrad(f)(params));
for (const [k, v] of [...times.entries()].sort((a, b) => b[1] - a[1]))
  console.log((v / 3).toFixed(2).padStart(8), "ms", k);
await backend.close();
