import { afterAll, beforeAll } from "vitest";
import { createWasmRuntime, type WasmRuntime, type WasmRuntimeOptions } from "../runtime/create-runtime.js";

/**
 * The configurations every kernel test runs on: one thread on the relaxed-SIMD build (the default),
 * and two threads splitting every call on the plain-SIMD build, so both builds and both the
 * single-threaded and split paths are covered.
 */
export const runtimeConfigs: readonly { readonly name: string; readonly options: WasmRuntimeOptions }[] = [
  { name: "1 thread, relaxed SIMD", options: { threads: 1, simd: "relaxed", initialMemoryMiB: 16 } },
  {
    name: "2 threads, plain SIMD",
    options: { threads: 2, simd: "plain", forceParallel: true, initialMemoryMiB: 16 },
  },
];

/** Creates the runtime before the suite's tests and disposes it afterwards; call inside `describe`. */
export function useRuntime(options: WasmRuntimeOptions): () => WasmRuntime {
  let rt: WasmRuntime | undefined;
  beforeAll(async () => {
    rt = await createWasmRuntime(options);
  });
  afterAll(async () => {
    await rt?.dispose();
  });
  return () => rt!;
}

/** Deterministic uniform floats in [lo, hi) from a seed (mulberry32), so fast-check can shrink shapes. */
export function randomFloats(seed: number, n: number, lo = -1, hi = 1): Float64Array {
  let s = seed >>> 0;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  }
  return out;
}

/** Copies `values` (rounded to f32) into a fresh allocation and returns its address. */
export function upload(rt: WasmRuntime, values: ArrayLike<number>): number {
  const ptr = rt.alloc(values.length * 4);
  rt.f32(ptr, values.length).set(values);
  return ptr;
}

/** Copies `values` into a fresh i32 allocation. */
export function uploadInts(rt: WasmRuntime, values: ArrayLike<number>): number {
  const ptr = rt.alloc(values.length * 4);
  rt.i32(ptr, values.length).set(values);
  return ptr;
}

/** Reads `n` floats back as plain numbers. */
export function download(rt: WasmRuntime, ptr: number, n: number): number[] {
  return Array.from(rt.f32(ptr, n));
}

/** Rounds through f32, as the kernels see their inputs. */
export function toF32(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(Float32Array.from(values as ArrayLike<number>));
}

/** Throws with the first index where |got - want| > atol + rtol * |want|. */
export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, atol: number, rtol = 0): void {
  if (got.length !== want.length) throw new Error(`length ${got.length} != expected ${want.length}`);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (!(Math.abs(g - w) <= atol + rtol * Math.abs(w))) {
      throw new Error(`element ${i}: got ${g}, expected ${w} (atol ${atol}, rtol ${rtol})`);
    }
  }
}
