// GEMM and row-kernel throughput on 1 and 2 threads: `pnpm bench` (or `tsx bench/matmul.ts`).
// Prints median GFLOP/s over repeated calls after a warm-up (V8 first runs wasm on its baseline tier).
// On a shared machine, --best reports the fastest call instead (closest to an uncontended run).
// Also: the batched attention-shaped GEMM (32 x 128x128x32, P·V) with normal inputs and with 10% of A
// subnormal (1e-40; Intel cores take a microcode assist per subnormal operand unless the kernel
// flushes them), and the fused attention kernel on GPT-2's shape (B 8, H 4, T 128, D 32).
// Options: --threads=1,2  --simd=auto|relaxed|plain  --repeats=15  --best
// Refuses to time on a busy machine (SCRATCHGRAD_BENCH_FORCE=1 overrides).
import { requireQuietMachine } from "../src/bench/machine.js";
// The runtime module directly: src/index.ts also exports the tensor adapter, whose workspace
// dependency tsx would resolve to its (possibly unbuilt) dist.
import { createWasmRuntime, type WasmRuntime } from "../src/runtime/create-runtime.js";
import { argument, filled } from "./inputs.js";
import { timePerCall } from "./timing.js";

const threadCounts = argument("threads", "1,2").split(",").map(Number);
const simd = argument("simd", "auto") as "auto" | "relaxed" | "plain";
const repeats = Number(argument("repeats", "15"));
const best = process.argv.includes("--best");

const median = (fn: () => void): number => timePerCall(fn, { repeats, best });

function gemmRate(
  rt: WasmRuntime,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
): number {
  const [a, b, c] = [filled(rt, m * k), filled(rt, k * n), rt.alloc(m * n * 4)];
  const ms = median(() => rt.gemm({ m, n, k, a, b, c, transA, transB }));
  for (const p of [a, b, c]) rt.free(p);
  return (2 * m * n * k) / ms / 1e6;
}

/** ms per batched GEMM of attention's P·V shape, with `subnormalShare` of A set to 1e-40. */
function batchedGemmMs(rt: WasmRuntime, subnormalShare: number): number {
  const [batch, m, k, n] = [32, 128, 128, 32];
  const [a, b, c] = [filled(rt, batch * m * k), filled(rt, batch * k * n), rt.alloc(batch * m * n * 4)];
  const view = rt.f32(a, batch * m * k);
  for (let i = 0; i < view.length; i++) if ((i * 7919) % 1000 < subnormalShare * 1000) view[i] = 1e-40;
  const ms = median(() => rt.gemm({ batch, m, n, k, a, b, c }));
  for (const p of [a, b, c]) rt.free(p);
  return ms;
}

/** ms per fused causal attention forward and backward on GPT-2's training shape. */
function attentionMs(rt: WasmRuntime): { forward: number; backward: number } {
  const [batch, seq, heads, headDim] = [8, 128, 4, 32];
  const n = batch * seq * heads * headDim;
  const [q, k, v, o, dout, dq, dk, dv] = [
    filled(rt, n),
    filled(rt, n),
    filled(rt, n),
    rt.alloc(n * 4),
    filled(rt, n),
    rt.alloc(n * 4),
    rt.alloc(n * 4),
    rt.alloc(n * 4),
  ];
  const stats = rt.alloc(batch * heads * seq * 8);
  const args = { q, k, v, o, stats, batch, seq, heads, headDim, scale: 1 / Math.sqrt(headDim), causal: true };
  const forward = median(() => rt.attentionForward(args));
  const backward = median(() => rt.attentionBackward({ ...args, dout, dq, dk, dv }));
  for (const p of [q, k, v, o, dout, dq, dk, dv, stats]) rt.free(p);
  return { forward, backward };
}

function rowKernelTimes(rt: WasmRuntime): Record<string, number> {
  const rows = 1024;
  const cols = 1024;
  const n = rows * cols;
  const [x, y, dy, g, bta, mean, rstd] = [
    filled(rt, n),
    rt.alloc(n * 4),
    filled(rt, n),
    filled(rt, cols),
    filled(rt, cols),
    rt.alloc(rows * 4),
    rt.alloc(rows * 4),
  ];
  const times = {
    softmax: median(() => rt.softmaxRows({ x, y, rows, cols })),
    softmaxBackward: median(() => rt.softmaxRowsBackward({ y, dy, dx: x, rows, cols })),
    layerNorm: median(() => rt.layerNorm({ x: dy, gamma: g, beta: bta, y, mean, rstd, rows, cols })),
    geluTanh: median(() => rt.gelu({ x: dy, y, n })),
    geluErf: median(() => rt.gelu({ x: dy, y, n, exact: true })),
    geluTanhBackward: median(() => rt.geluBackward({ x: dy, dy, dx: y, n })),
    add: median(() => rt.binary({ op: "add", a: dy, b: y, out: x, n })),
  };
  for (const p of [x, y, dy, g, bta, mean, rstd]) rt.free(p);
  return times;
}

const shapes: [number, number, number, boolean, boolean][] = [
  [1024, 256, 1024, false, false],
  [1024, 256, 1024, true, false],
  [1024, 256, 1024, false, true],
  [1024, 256, 1024, true, true],
  [1024, 1024, 256, false, false],
  [1024, 256, 8192, false, false],
  [512, 512, 512, false, false],
];

await requireQuietMachine();
const results: Record<string, Record<string, string>> = {};
const rowResults: Record<string, Record<string, string>> = {};
const attentionResults: Record<string, Record<string, string>> = {};
for (const threads of threadCounts) {
  const rt = await createWasmRuntime({ threads, simd });
  const column = `${threads}T (${rt.simd})`;
  for (const [m, k, n, tA, tB] of shapes) {
    const name = `${m}x${k}x${n}${tA ? " Aᵀ" : ""}${tB ? " Bᵀ" : ""}`;
    results[name] = { ...results[name], [column]: gemmRate(rt, m, k, n, tA, tB).toFixed(1) };
  }
  for (const [name, ms] of Object.entries(rowKernelTimes(rt))) {
    rowResults[name] = { ...rowResults[name], [column]: ms.toFixed(3) };
  }
  const normal = batchedGemmMs(rt, 0);
  const subnormal = batchedGemmMs(rt, 0.1);
  const fused = attentionMs(rt);
  const rows: [string, number][] = [
    ["P·V GEMM 32x128x128x32, normal A", normal],
    ["P·V GEMM, subnormal A (10% 1e-40)", subnormal],
    ["fused causal attention forward (8x4x128x32)", fused.forward],
    ["fused causal attention backward", fused.backward],
  ];
  for (const [name, ms] of rows)
    attentionResults[name] = { ...attentionResults[name], [column]: ms.toFixed(3) };
  attentionResults["subnormal / normal"] = {
    ...attentionResults["subnormal / normal"],
    [column]: (subnormal / normal).toFixed(2),
  };
  await rt.dispose();
}
const statistic = best ? "best" : "median";
console.log(`GEMM, GFLOP/s (${statistic} of ${repeats}), M x K x N:`);
console.table(results);
console.log(`1024 x 1024 kernels, ms (${statistic} of ${repeats}):`);
console.table(rowResults);
console.log(`attention shapes, ms (${statistic} of ${repeats}):`);
console.table(attentionResults);
