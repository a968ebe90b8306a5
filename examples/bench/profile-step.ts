import { createWasmBackend } from "@scratchgrad/backend-wasm";
import { evalContext, gpt2, gpt2Config } from "@scratchgrad/nn";
import * as sg from "@scratchgrad/tensor";

const layers = Number(process.env.L ?? 4);
const d = Number(process.env.D ?? 256);
const backend = await createWasmBackend({ threads: Number(process.env.THREADS ?? 2) });
sg.useBackend(backend);
const config = gpt2Config("gpt2-tiny", {
  vocab_size: 8192,
  n_layer: layers,
  n_embd: d,
  n_head: 4,
  n_positions: 128,
  resid_pdrop: 0,
  embd_pdrop: 0,
  attn_pdrop: 0,
});
const model = gpt2(config);
const params = model.init(sg.random.key(0));
const ids = sg.random.randint(sg.random.key(1), [8, 128], 0, 8192);
const lossFn = (p: typeof params) => model.loss(p, { inputIds: ids }, evalContext);
for (let i = 0; i < 2; i++) sg.scope(() => void sg.valueAndGrad(lossFn)(params));
sg.setProfiling(true);
sg.resetProfile();
const steps = 5;
const t0 = performance.now();
for (let i = 0; i < steps; i++) sg.scope(() => void sg.valueAndGrad(lossFn)(params)[0].item());
const ms = (performance.now() - t0) / steps;
console.log(
  `${backend.name} L${layers} d${d}: ${ms.toFixed(1)} ms/step fwd+bwd, ${(((8 * 128) / ms) * 1000).toFixed(0)} tokens/s`,
);
console.log(sg.formatProfile(steps));
await backend.close();
