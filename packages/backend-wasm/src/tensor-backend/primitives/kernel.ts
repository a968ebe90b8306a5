import type { KernelInput, KernelOutput, Primitive, PrimitiveParams } from "@scratchgrad/tensor";
import type { WasmRuntime } from "../../runtime/create-runtime.js";
import type { Ptr } from "../views.js";

/**
 * The wasm backend's kernel for primitive `P`, with `P`'s params: the address of a new buffer
 * holding the result, or `undefined` when these inputs are not a case it handles (then the
 * primitive's GPU.js kernel runs on views of the wasm memory, see `wasm-backend.ts`).
 */
export type WasmKernel<P extends Primitive> = (
  rt: WasmRuntime,
  inputs: readonly KernelInput[],
  params: PrimitiveParams[P],
  output: KernelOutput,
) => Ptr | undefined;

/**
 * The kernels of one family of primitives, by name (a family file here mirrors the core's
 * `primitives/<family>.ts`); a primitive without one runs its GPU.js kernel.
 */
export type WasmKernels<Family extends Primitive> = { readonly [P in Family]?: WasmKernel<P> };
