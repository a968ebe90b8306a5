import type { Primitive } from "@scratchgrad/tensor";
import { elementwiseKernels } from "./elementwise.js";
import { indexingKernels } from "./indexing.js";
import type { WasmKernel } from "./kernel.js";
import { matmulKernels } from "./matmul.js";
import { movementKernels } from "./movement.js";
import { reductionKernels } from "./reduction.js";

/**
 * The wasm backend's kernels by primitive, family by family as the core's `primitiveTable`; a
 * primitive without one (or whose kernel declines the inputs) runs its GPU.js kernel.
 */
export const wasmKernels: { readonly [P in Primitive]?: WasmKernel<P> } = {
  ...elementwiseKernels,
  ...reductionKernels,
  ...matmulKernels,
  ...movementKernels,
  ...indexingKernels,
};
