/**
 * What the runtime needs from where it runs: Node (worker_threads, files, V8 flags) or a browser (Web
 * Workers, fetch). The package's `#platform` import names one of ./platform-node.ts and
 * ./platform-browser.ts by export condition (`node` → Node's), so a browser bundle never sees a `node:`
 * module and the runtime's code is the same in both.
 */
import type { WasmMemory, WasmModule } from "./webassembly.js";

/** The kernel module builds: relaxed SIMD (fused multiply-add) or plain SIMD. */
export type KernelVariant = "relaxed" | "plain";

/** What each pool worker receives: the module and memory to instantiate, and the shared control words. */
export interface PoolWorkerData {
  readonly module: WasmModule;
  readonly memory: WasmMemory;
  readonly control: SharedArrayBuffer;
  readonly args: SharedArrayBuffer;
  readonly index: number;
  readonly kernelNames: readonly string[];
  readonly spinIterations: number;
}

/** A started pool worker. */
export interface PoolWorker {
  /** Settles when the worker has instantiated the module (rejects if it failed to start). */
  readonly ready: Promise<void>;
  terminate(): Promise<unknown>;
}

/** One platform's answers. */
export interface Platform {
  /** Where it runs, for error messages ("Node v20.20.2", "a browser"). */
  readonly name: string;
  /** Threads to use when the caller does not say (the machine's logical cores). */
  defaultThreads(): number;
  /** The bytes of a kernel module build. */
  kernelBytes(variant: KernelVariant): Promise<Uint8Array>;
  /**
   * Engine settings before compiling (Node: V8 flags for relaxed SIMD and straight-to-optimised code;
   * a browser has relaxed SIMD on and cannot set flags).
   */
  prepareEngine(): void;
  /** Starts pool worker `data.index`. */
  startWorker(data: PoolWorkerData): PoolWorker;
  /**
   * Whether the calling thread may block in `Atomics.wait`: true in Node and in a Web Worker, false on
   * a browser page's main thread, which must poll instead.
   */
  canBlock(): boolean;
}

/** The kernel module's address, the same relative path from src/runtime/ and dist/runtime/. */
export const kernelUrl = (variant: KernelVariant): URL =>
  // Two literal URLs (not a template) so bundlers see and emit both .wasm files as assets.
  variant === "relaxed"
    ? new URL("../../build/kernels-relaxed.wasm", import.meta.url)
    : new URL("../../build/kernels-plain.wasm", import.meta.url);

/** The error for a kernel module that cannot be read (a clean clone that skipped the build). */
export const missingKernels = (url: URL, cause: unknown): Error =>
  new Error(
    `backend-wasm: kernel module ${url.pathname} is missing; build it with ` +
      "`pnpm --filter @scratchgrad/backend-wasm build:wasm`",
    { cause },
  );

/** Whether this thread may block in Atomics.wait: tried once on a scratch word (a page's main thread throws). */
export const atomicsWaitAllowed = (): boolean => {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
};
