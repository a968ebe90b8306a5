/**
 * A module Web Worker that runs `trainSteps` on the wasm backend — whose own pool workers it starts —
 * and posts back the SIMD build, the losses and the weights. Inside a worker the calling thread blocks in
 * Atomics.wait between kernels (a page's main thread polls instead): the other path of the thread pool.
 */
import { createWasmBackend } from "@scratchgrad/backend-wasm";
import { withBackend } from "@scratchgrad/tensor";
import { trainSteps } from "./train-steps.js";

interface WorkerScope {
  addEventListener(type: "message", listener: (event: { data: { steps: number } }) => void): void;
  postMessage(message: unknown): void;
}
const scope = globalThis as unknown as WorkerScope;

scope.addEventListener("message", async ({ data }) => {
  try {
    const backend = await createWasmBackend({ threads: 2 });
    const { losses, weights } = withBackend(backend, () => trainSteps(data.steps));
    scope.postMessage({ simd: backend.runtime.simd, losses, weights });
    await backend.close();
  } catch (error) {
    scope.postMessage({ error: String(error) });
  }
});
