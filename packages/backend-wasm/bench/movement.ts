// The data movement of a GPT-2 step (config b: batch 8 × 128, 4 heads of 64) on the strided wasm
// kernel and on the JS loops it replaced, same process, 1 and 2 threads: `tsx bench/movement.ts`.
// Prints the median time per call (--best: the fastest, closest to an uncontended run).
import { stridesOf } from "@scratchgrad/tensor";
import { requireQuietMachine } from "../src/bench/machine.js";
import { createWasmRuntime } from "../src/runtime/create-runtime.js";
import { stridedArithmetic, stridedCopy } from "../src/tensor-backend/strided.js";
import { timePerCall } from "./timing.js";

await requireQuietMachine();

const best = process.argv.includes("--best");
const repeats = 31;

const time = (fn: () => void): number => timePerCall(fn, { repeats, best });

const [B, T, H, D] = [8, 128, 4, 64];
const C = H * D;
for (const threads of [1, 2]) {
  const rt = await createWasmRuntime({ threads });
  const n = B * T * 3 * C;
  const x = rt.alloc(n * 4);
  const y = rt.alloc(n * 4);
  const mask = rt.alloc(T * T * 4);
  rt.f32(x, n).forEach((_, i, a) => {
    a[i] = Math.sin(i);
  });
  const cases: { name: string; js: () => void; wasm: () => void }[] = [];
  // splitHeads: [B, T, H, D] -> [B, H, T, D]
  const heads = [B, H, T, D];
  const headStrides = [T * H * D, D, H * D, 1];
  cases.push({
    name: "permute [B,T,H,D]->[B,H,T,D]",
    js: () => stridedCopy(rt.f32(x, n), 0, headStrides, rt.f32(y, n), 0, stridesOf(heads), heads),
    wasm: () => rt.stridedCopy({ src: x, dst: y, shape: heads, strides: headStrides }),
  });
  // split of c_attn's output: [B, T, 3C] -> [B, T, C] at offset C
  const third = [B, T, C];
  const qkvStrides = [T * 3 * C, 3 * C, 1];
  cases.push({
    name: "slice [B,T,3C]->[B,T,C]",
    js: () => stridedCopy(rt.f32(x, n), C, qkvStrides, rt.f32(y, n), 0, stridesOf(third), third),
    wasm: () => rt.stridedCopy({ src: x + 4 * C, dst: y, shape: third, strides: qkvStrides }),
  });
  // its gradient: pad [B, T, C] -> [B, T, 3C] (zeros, then the box / zeros around the box)
  cases.push({
    name: "pad [B,T,C]->[B,T,3C]",
    js: () => {
      const dst = rt.f32(y, n);
      dst.fill(0);
      stridedCopy(rt.f32(x, n), 0, stridesOf(third), dst, C, qkvStrides, third);
    },
    wasm: () => {
      rt.stridedCopy({ src: 0, dst: y, shape: third, strides: [0, 0, 0], dstStrides: qkvStrides });
      rt.stridedCopy({ src: 0, dst: y + 8 * C, shape: third, strides: [0, 0, 0], dstStrides: qkvStrides });
      rt.stridedCopy({
        src: x,
        dst: y + 4 * C,
        shape: third,
        strides: stridesOf(third),
        dstStrides: qkvStrides,
      });
    },
  });
  // causal mask [T, T] over scores [B, H, T, T]
  const scores = [B, H, T, T];
  const s = stridesOf(scores);
  const m = [0, 0, T, 1];
  cases.push({
    name: "add scores [B,H,T,T] + mask [T,T]",
    js: () => stridedArithmetic("add", rt.f32(x, n), s, rt.f32(mask, T * T), m, rt.f32(y, n), scores),
    wasm: () =>
      rt.binaryStrided({ op: "add", a: x, aStrides: s, b: mask, bStrides: m, out: y, shape: scores }),
  });
  for (const c of cases) {
    const js = time(c.js);
    const wasm = time(c.wasm);
    console.log(
      `${threads} thread${threads > 1 ? "s" : ""}  ${c.name.padEnd(36)} JS ${js.toFixed(3)} ms  wasm ${wasm.toFixed(3)} ms  (${(js / wasm).toFixed(1)}×)`,
    );
  }
  await rt.dispose();
}
