/**
 * One forward + backward step of the full-size `gpt2` preset (124M parameters, vocab 50,257) on the
 * wasm backend: `tsx --conditions=source bench/full-gpt2-step.ts [batch] [block]`. Prints the time
 * and the peak memory (process RSS and the wasm heap).
 */
import { createWasmBackend } from "@scratchgrad/backend-wasm";
import { requireQuietMachine } from "@scratchgrad/backend-wasm/machine";
import { causalLmLoss } from "@scratchgrad/lm-objectives";
import { gpt2, gpt2Config } from "@scratchgrad/nn";
import * as sg from "@scratchgrad/tensor";

await requireQuietMachine();

const batch = Number(process.argv[2] ?? 1);
const block = Number(process.argv[3] ?? 128);
const backend = await createWasmBackend();
sg.useBackend(backend);
const model = gpt2(gpt2Config("gpt2", { resid_pdrop: 0, embd_pdrop: 0, attn_pdrop: 0 }));
let peakRss = 0;
const sample = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const t0 = performance.now();
const params = model.init(sg.random.key(0));
console.log(
  `gpt2: ${model.countParams().toLocaleString("en-US")} parameters, init ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
const ids = sg.random.randint(sg.random.key(1), [batch, block], 0, 50257);
const lossFn = (p: typeof params) => causalLmLoss(model.apply(p, ids, { training: false }), ids);
for (let i = 0; i < 2; i++) {
  const t = performance.now();
  const loss = sg.scope(() => {
    const [value, grads] = sg.valueAndGrad(lossFn)(params);
    sample();
    void grads;
    return value.item();
  });
  sample();
  console.log(
    `step ${i + 1}: forward+backward ${((performance.now() - t) / 1000).toFixed(2)} s, loss ${loss.toFixed(3)} (ln 50257 = ${Math.log(50257).toFixed(3)}), batch ${batch} × ${block}`,
  );
}
console.log(
  `peak RSS ${(peakRss / 2 ** 30).toFixed(2)} GiB, wasm heap ${(backend.runtime.memoryBytes() / 2 ** 30).toFixed(2)} GiB`,
);
await backend.close();
