/**
 * The worker's compute backend: the wasm backend on Web Workers over shared memory (the page is
 * cross-origin isolated), or GPU.js on WebGL2 / WebGL / its CPU mode. WebGPU is listed and refused with
 * the reason: GPU.js's webgpu kernels answer with Promises and the engine is synchronous (the kernels
 * themselves pass the conformance suite on WebGPU, docs/browser.md); a tensor backend that lists a
 * `webgpu` mode is taken as it is.
 */
import { createWasmBackend } from "@scratchgrad/backend-wasm";
import {
  availableGpuJsModes,
  type Backend,
  type GpuJsMode,
  gpujsBackend,
  useBackend,
} from "@scratchgrad/tensor";
import type { PlaygroundBackend } from "./protocol.js";

/** The backend in use, and how to let it go. */
export interface ActiveBackend {
  readonly backend: Backend;
  readonly close: () => Promise<void>;
}

/**
 * Makes `choice` the tensor backend of this worker.
 * @example const { backend, close } = await activateBackend("wasm", 2);
 */
export const activateBackend = async (choice: PlaygroundBackend, threads: number): Promise<ActiveBackend> => {
  if (choice === "wasm") {
    if (!globalThis.crossOriginIsolated)
      throw new Error(
        "the wasm backend needs SharedArrayBuffer: serve the page with the COOP/COEP headers (pnpm --filter examples playground does), or pick a GPU.js backend",
      );
    const backend = await createWasmBackend({ threads });
    useBackend(backend);
    return { backend, close: () => backend.close() };
  }
  const modes = availableGpuJsModes() as string[];
  if (choice === "webgpu" && !modes.includes(choice))
    throw new Error(
      "WebGPU cannot train yet: GPU.js's webgpu kernels answer with Promises and scratchgrad's engine is synchronous (the kernels pass the conformance suite on WebGPU, docs/browser.md). Pick wasm or GPU.js WebGL2.",
    );
  if (!modes.includes(choice))
    throw new Error(`GPU.js cannot run ${choice} in this browser; available here: wasm, ${modes.join(", ")}`);
  const backend = gpujsBackend(choice as GpuJsMode);
  useBackend(backend);
  return { backend, close: async () => undefined };
};
