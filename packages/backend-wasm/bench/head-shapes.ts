// The three GEMMs of a GPT-2 LM head (B*T = 1024 rows, n_embd = 256, vocab 33,278 by default) as the
// wasm tensor backend issues them (and dW in the other orientation, dWᵀ = Xᵀ·dY, for comparison),
// timed directly on the runtime: `tsx bench/head-shapes.ts`.
// Options: --threads=2  --vocab=33278  --embd=256  --repeats=7  --best

import os from "node:os";
import { requireQuietMachine } from "../src/bench/machine.js";
import { createWasmRuntime, type WasmRuntime } from "../src/runtime/create-runtime.js";
import { argument, filled } from "./inputs.js";
import { timePerCall } from "./timing.js";

await requireQuietMachine();

const threads = Number(argument("threads", "2"));
const vocab = Number(argument("vocab", "33278"));
const repeats = Number(argument("repeats", "7"));
const best = process.argv.includes("--best");
const rows = 1024;
const embd = Number(argument("embd", "256"));

const rt = await createWasmRuntime({ threads });
const x = filled(rt, rows * embd); // [B*T, C]
const w = filled(rt, vocab * embd); // [V, C]
const dy = filled(rt, rows * vocab); // [B*T, V]
const logits = rt.alloc(rows * vocab * 4);
const dx = rt.alloc(rows * embd * 4);
const dw = rt.alloc(vocab * embd * 4);
const cases: [string, Parameters<WasmRuntime["gemm"]>[0]][] = [
  // A square-ish product of the same depth as the logits, for comparison.
  ["1024x256x1024   ", { m: rows, n: 1024, k: embd, a: x, b: w, c: logits }],
  ["logits = X·Wᵀ   ", { m: rows, n: vocab, k: embd, a: x, b: w, c: logits, transB: true }],
  ["dX = dY·W       ", { m: rows, n: embd, k: vocab, a: dy, b: w, c: dx }],
  ["dW = dYᵀ·X      ", { m: vocab, n: embd, k: rows, a: dy, b: x, c: dw, transA: true }],
  ["dWᵀ = Xᵀ·dY     ", { m: embd, n: vocab, k: rows, a: x, b: dy, c: dw, transA: true }],
];
console.log(
  `${threads} threads, vocab ${vocab}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
for (const [name, args] of cases) {
  const cpu0 = process.cpuUsage();
  const ms = timePerCall(() => rt.gemm(args), { repeats, best });
  const cpu = process.cpuUsage(cpu0);
  // CPU time of all threads per call (5 warm-up calls + repeats): on a machine shared with other
  // work, a steadier measure of how much work a change saves than the wall clock.
  const cpuMs = (cpu.user + cpu.system) / 1000 / (repeats + 5);
  const rate = (2 * args.m * args.n * args.k) / ms / 1e6;
  console.log(
    `${name} ${ms.toFixed(1).padStart(7)} ms ${rate.toFixed(1).padStart(6)} GFLOP/s ${cpuMs.toFixed(1).padStart(7)} CPU ms`,
  );
}
await rt.dispose();
