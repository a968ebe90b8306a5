/**
 * The runtime's platform in a browser: module Web Workers over the shared memory, the kernel files
 * fetched from where the bundler put them. Shared memory needs a cross-origin isolated page (served with
 * `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`); without
 * it there is no SharedArrayBuffer, and the runtime says so.
 */
import {
  atomicsWaitAllowed,
  kernelUrl,
  missingKernels,
  type Platform,
  type PoolWorker,
  type PoolWorkerData,
} from "./platform.js";

interface WebWorker {
  postMessage(message: unknown): void;
  terminate(): void;
  addEventListener(type: "message" | "error", listener: (event: { message?: string }) => void): void;
}
type WorkerConstructor = new (url: URL, options: { type: "module"; name?: string }) => WebWorker;

// The repository compiles without the DOM lib: the one browser global used here, typed here.
declare const Worker: WorkerConstructor;

const startWorker = (data: PoolWorkerData): PoolWorker => {
  if (typeof Worker === "undefined") throw new Error("backend-wasm: this browser context has no Worker");
  // The `new Worker(new URL(..., import.meta.url), { type: "module" })` form lets Vite bundle the worker.
  const worker = new Worker(new URL("../../worker/pool-worker-browser.mjs", import.meta.url), {
    type: "module",
    name: `backend-wasm ${data.index}`,
  });
  const ready = new Promise<void>((resolve, reject) => {
    worker.addEventListener("message", () => resolve());
    worker.addEventListener("error", (event) =>
      reject(new Error(`backend-wasm: worker ${data.index} failed to start: ${event.message ?? "error"}`)),
    );
  });
  worker.postMessage(data);
  return {
    ready,
    terminate: async () => worker.terminate(),
  };
};

/** A browser's answers (see {@link Platform}). */
export const platform: Platform = {
  name: "this browser",
  defaultThreads: () =>
    (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1,
  kernelBytes: async (variant) => {
    const url = kernelUrl(variant);
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
      return new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      throw missingKernels(url, error);
    }
  },
  prepareEngine: () => {
    if (typeof SharedArrayBuffer === "undefined") {
      throw new Error(
        "backend-wasm: SharedArrayBuffer is missing, so this page is not cross-origin isolated; serve it with " +
          "the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp",
      );
    }
  },
  startWorker,
  canBlock: atomicsWaitAllowed,
};
