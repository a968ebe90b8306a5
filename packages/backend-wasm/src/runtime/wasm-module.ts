import { readFile } from "node:fs/promises";
import v8 from "node:v8";
import { type WasmModule, wasmApi } from "./webassembly.js";

/** Which SIMD build of the kernels to use: `auto` picks relaxed SIMD (fused multiply-add) when V8 accepts it. */
export type SimdMode = "auto" | "relaxed" | "plain";

/** The compiled kernel module and which build it is. */
export interface LoadedKernels {
  readonly module: WasmModule;
  readonly simd: "relaxed" | "plain";
}

// Compiled modules never change, so caching them cannot change results.
const compiled = new Map<"relaxed" | "plain", Promise<WasmModule>>();

function wasmUrl(variant: "relaxed" | "plain"): URL {
  // Same relative path from src/runtime/ and dist/runtime/.
  return new URL(`../../build/kernels-${variant}.wasm`, import.meta.url);
}

async function readKernelBytes(variant: "relaxed" | "plain"): Promise<Uint8Array> {
  const url = wasmUrl(variant);
  try {
    return await readFile(url);
  } catch (error) {
    throw new Error(
      `backend-wasm: kernel module ${url.pathname} is missing; build it with ` +
        "`pnpm --filter @scratchgrad/backend-wasm build:wasm`",
      { cause: error },
    );
  }
}

/**
 * Compiles the kernel module once per process and SIMD variant.
 *
 * Node 20 gates relaxed SIMD behind `--experimental-wasm-relaxed-simd`; the flag is set here, before
 * compiling, and worker threads created later inherit it.
 *
 * @example
 * const { module, simd } = await loadKernels("auto"); // simd === "relaxed" on Node 20+
 */
export async function loadKernels(mode: SimdMode): Promise<LoadedKernels> {
  // Compile straight to optimized code: V8 otherwise starts on its baseline compiler (Liftoff, ~3x
  // slower here) and tiers up per function and per thread, so each worker's first calls would crawl.
  v8.setFlagsFromString("--no-liftoff");
  let variant: "relaxed" | "plain" = "plain";
  if (mode !== "plain") {
    v8.setFlagsFromString("--experimental-wasm-relaxed-simd");
    const relaxed = await readKernelBytes("relaxed");
    if (wasmApi.validate(relaxed)) variant = "relaxed";
    else if (mode === "relaxed") {
      throw new Error(
        `backend-wasm: this runtime (Node ${process.versions.node}) rejects relaxed SIMD; ` +
          'use simd: "auto" or "plain"',
      );
    }
  }
  let module = compiled.get(variant);
  if (module === undefined) {
    module = readKernelBytes(variant).then((bytes) => wasmApi.compile(bytes));
    compiled.set(variant, module);
  }
  return { module: await module, simd: variant };
}
