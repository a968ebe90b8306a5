/**
 * The worker's compute backend: the wasm backend on Web Workers over shared memory (the page is
 * cross-origin isolated), or GPU.js on WebGL2 / WebGL / its CPU mode. WebGPU is offered where the
 * browser has `navigator.gpu` and GPU.js can drive it; otherwise the choice fails with what to pick.
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
  if (!modes.includes(choice))
    throw new Error(`GPU.js cannot run ${choice} in this browser; available here: wasm, ${modes.join(", ")}`);
  const backend = gpujsBackend(choice as GpuJsMode);
  useBackend(backend);
  return { backend, close: async () => undefined };
};
