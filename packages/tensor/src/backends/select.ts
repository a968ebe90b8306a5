import type { Backend } from "./backend.js";
import { availableGpuJsModes, createGpuJsBackend, type GpuJsMode } from "./gpujs/gpujs-backend.js";

let current: Backend | undefined;
const byMode = new Map<string, Backend>();

/** The GPU.js backend for a mode, created once per process (compiled kernels are cached in it). */
export const gpujsBackend = (mode: GpuJsMode): Backend => {
  let b = byMode.get(mode);
  if (!b) {
    b = createGpuJsBackend(mode);
    byMode.set(mode, b);
  }
  return b;
};

/**
 * The backend new tensors are created on. Unless set with `useBackend`, it is chosen once: the mode
 * named by SCRATCHGRAD_BACKEND (`cpu`, `webasm`, `headlessgl`, `webgl2`, `webgl`) if set, else the best
 * available GPU.js mode (GL → WebAssembly → cpu).
 */
export const currentBackend = (): Backend => {
  if (!current) {
    const requested = process.env.SCRATCHGRAD_BACKEND as GpuJsMode | undefined;
    const modes = availableGpuJsModes();
    if (requested && !modes.includes(requested)) {
      throw new Error(
        `SCRATCHGRAD_BACKEND=${requested} is not available here; available: ${modes.join(", ")}`,
      );
    }
    current = gpujsBackend(requested ?? modes[0]!);
  }
  return current;
};

/** Makes `backend` the default for new tensors. */
export const useBackend = (backend: Backend): void => {
  current = backend;
};

/** Runs `fn` with `backend` as the default, restoring the previous default after. */
export const withBackend = <T>(backend: Backend, fn: () => T): T => {
  const previous = current;
  current = backend;
  try {
    return fn();
  } finally {
    current = previous;
  }
};
