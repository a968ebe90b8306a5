/** The runtime's platform under Node: worker_threads, the kernel files on disk, V8 flags. */
import { readFile } from "node:fs/promises";
import os from "node:os";
import v8 from "node:v8";
import { Worker } from "node:worker_threads";
import {
  kernelUrl,
  missingKernels,
  type Platform,
  type PoolWorker,
  type PoolWorkerData,
} from "./platform.js";

const startWorker = (data: PoolWorkerData): PoolWorker => {
  const worker = new Worker(new URL("../../worker/pool-worker.mjs", import.meta.url), {
    // Workers inherit node's flags; `--input-type` (from `node -e`) is refused for a file entry.
    execArgv: process.execArgv.filter((arg) => !arg.startsWith("--input-type")),
    workerData: data,
  });
  // A forgotten pool never keeps node alive.
  worker.unref();
  const ready = new Promise<void>((resolve, reject) => {
    worker.once("message", () => resolve());
    worker.once("error", reject);
    worker.once("exit", (code) =>
      reject(new Error(`backend-wasm: worker ${data.index} exited with code ${code}`)),
    );
  }).finally(() => worker.removeAllListeners());
  return { ready, terminate: () => worker.terminate() };
};

/** Node's answers (see {@link Platform}). */
export const platform: Platform = {
  name: `Node ${process.versions.node}`,
  defaultThreads: () => os.availableParallelism(),
  kernelBytes: async (variant) => {
    const url = kernelUrl(variant);
    try {
      return await readFile(url);
    } catch (error) {
      throw missingKernels(url, error);
    }
  },
  prepareEngine: () => {
    // Compile straight to optimized code: V8 otherwise starts on its baseline compiler (Liftoff, ~3x
    // slower here) and tiers up per function and per thread, so each worker's first calls would crawl.
    v8.setFlagsFromString("--no-liftoff");
    // Node 20 gates relaxed SIMD behind a flag; worker threads created later inherit it.
    v8.setFlagsFromString("--experimental-wasm-relaxed-simd");
  },
  startWorker,
  canBlock: () => true,
};
