import os from "node:os";
import { createWasmBackend } from "@scratchgrad/backend-wasm";
import { type Backend, gpujsBackend, setProfiling, useBackend } from "@scratchgrad/tensor";
import type { BackendChoice } from "./backend-choices.js";

export { BACKEND_CHOICES, type BackendChoice } from "./backend-choices.js";

/**
 * Selects the compute backend: the WebAssembly SIMD backend on worker threads by default (the fast
 * CPU path), or one of GPU.js's own modes (`webasm`, `cpu`: the reference kernels, much slower).
 * SCRATCHGRAD_PROFILE=1 turns on per-primitive timing.
 */
export const setupBackend = async (
  choice: BackendChoice,
  threads: number,
): Promise<{ backend: Backend; close: () => Promise<void> }> => {
  if (process.env.SCRATCHGRAD_PROFILE === "1") setProfiling(true);
  if (choice === "wasm") {
    const backend = await createWasmBackend({ threads: threads > 0 ? threads : os.availableParallelism() });
    useBackend(backend);
    return { backend, close: () => backend.close() };
  }
  const backend = gpujsBackend(choice);
  useBackend(backend);
  return { backend, close: async () => undefined };
};
