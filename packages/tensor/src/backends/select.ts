import type { Backend } from "./backend.js";

// The core imports no backend: the entry point (src/index.ts) registers how to make the default one,
// and the environment is read there, at the program's edge.
let current: Backend | undefined;
let makeDefault: (() => Backend) | undefined;

/**
 * @internal Registers how the default backend is made, on first use. The package entry point registers
 * the GPU.js backend (mode from SCRATCHGRAD_BACKEND); `useBackend` overrides it.
 */
export const setDefaultBackend = (make: () => Backend): void => {
  makeDefault = make;
};

/**
 * The backend new tensors are created on: the one set with `useBackend`, else the default the entry
 * point registered (the GPU.js mode named by SCRATCHGRAD_BACKEND if set, else the best available
 * GPU.js mode: GL → WebAssembly → cpu), made once.
 */
export const currentBackend = (): Backend => {
  if (!current) {
    if (!makeDefault) {
      throw new Error(
        "no default backend: import @scratchgrad/tensor's entry point, or call useBackend(backend) first",
      );
    }
    current = makeDefault();
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
