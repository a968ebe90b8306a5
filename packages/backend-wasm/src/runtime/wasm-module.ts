import { platform } from "#platform";
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

/**
 * Compiles the kernel module once per process and SIMD variant.
 *
 * The relaxed-SIMD build is taken when `WebAssembly.validate` accepts it (Node 20 gates it behind a V8
 * flag, which the Node platform sets here, before compiling; browsers ship it on).
 *
 * @example
 * const { module, simd } = await loadKernels("auto"); // simd === "relaxed" on Node 20+
 */
export async function loadKernels(mode: SimdMode): Promise<LoadedKernels> {
  platform.prepareEngine();
  let variant: "relaxed" | "plain" = "plain";
  if (mode !== "plain") {
    const relaxed = await platform.kernelBytes("relaxed");
    if (wasmApi.validate(relaxed)) variant = "relaxed";
    else if (mode === "relaxed") {
      throw new Error(
        `backend-wasm: this runtime (${platform.name}) rejects relaxed SIMD; ` +
          'use simd: "auto" or "plain"',
      );
    }
  }
  let module = compiled.get(variant);
  if (module === undefined) {
    module = platform.kernelBytes(variant).then((bytes) => wasmApi.compile(bytes));
    compiled.set(variant, module);
  }
  return { module: await module, simd: variant };
}
