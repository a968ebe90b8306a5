// Dropout-mask generation, host JS vs the wasm kernel: `pnpm bench:dropout`
// (tsx --conditions=source bench/dropout-mask.ts). Prints the median and the fastest of repeated calls
// after a warm-up (on a shared machine the fastest is the closer to an uncontended run).
// Options: --n=5242880  --p=0.1  --repeats=9  --threads=1,2
//
// "host" is randomArrays.dropoutMultiplier alone; "host + upload" adds the copy into wasm memory, which
// is what the dropout composite paid before the wasm backend made masks itself.

import { randomArrays } from "@scratchgrad/tensor";
import { requireQuietMachine } from "../src/bench/machine.js";
import { createWasmRuntime } from "../src/runtime/create-runtime.js";
import { argument } from "./inputs.js";

await requireQuietMachine();

const n = Number(argument("n", String(5 * 2 ** 20)));
const p = Number(argument("p", "0.1"));
const repeats = Number(argument("repeats", "9"));
const threadCounts = argument("threads", "1,2").split(",").map(Number);

function timed(fn: (i: number) => void): string {
  for (let i = 0; i < 3; i++) fn(i);
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    fn(i);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return `${times[Math.floor(times.length / 2)]!.toFixed(2)} (fastest ${times[0]!.toFixed(2)})`;
}

const base = randomArrays.key(0);
const { threshold, scale } = randomArrays.dropoutThreshold(p);
const host = (i: number) => randomArrays.dropoutMultiplier(randomArrays.foldIn(base, i), n, p);
console.log(`dropout mask, ${n} elements, p = ${p}, median of ${repeats} calls (ms)`);
console.log(`host JS              ${timed(host)}`);
for (const threads of threadCounts) {
  const rt = await createWasmRuntime({ threads });
  const out = rt.alloc(n * 4);
  if (threads === threadCounts[0]) {
    console.log(`host JS + upload     ${timed((i) => rt.f32(out, n).set(host(i)))}`);
  }
  const wasm = timed((i) => rt.dropoutMask({ key: randomArrays.foldIn(base, i), threshold, scale, out, n }));
  console.log(`wasm, ${threads} thread${threads > 1 ? "s" : " "}      ${wasm}  (${rt.simd} SIMD build)`);
  rt.free(out);
  await rt.dispose();
}
