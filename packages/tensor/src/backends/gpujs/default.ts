import type { Backend } from "../backend.js";
import { availableGpuJsModes, createGpuJsBackend, type GpuJsMode } from "./gpujs-backend.js";

// Compiled kernels live in the backend, so each mode's backend is made once per process: a cache that
// cannot change results.
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
 * The default GPU.js backend: the mode `requested` (`cpu`, `webasm`, `headlessgl`, `webgl2`, `webgl`;
 * the entry point passes SCRATCHGRAD_BACKEND) if given, else the best available mode
 * (GL → WebAssembly → cpu). Throws, listing the modes available here, when `requested` is not one.
 */
export const defaultGpuJsBackend = (requested: string | undefined): Backend => {
  const modes = availableGpuJsModes();
  if (requested && !modes.includes(requested as GpuJsMode)) {
    throw new Error(`SCRATCHGRAD_BACKEND=${requested} is not available here; available: ${modes.join(", ")}`);
  }
  return gpujsBackend((requested as GpuJsMode | undefined) ?? modes[0]!);
};
