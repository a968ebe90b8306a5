// @scratchgrad/backend-wasm: raw WebAssembly SIMD kernels on worker threads over one shared memory.
// The tensor layer's adapter owns shapes and lifetimes; this package deals in byte addresses.

export type { AdamWArgs } from "./kernels/adamw.js";
export type { AttentionArgs, AttentionBackwardArgs } from "./kernels/attention.js";
export {
  type CrossEntropyArgs,
  type CrossEntropyBackwardArgs,
  type CrossEntropyResult,
  IGNORE_INDEX,
} from "./kernels/cross-entropy.js";
export type { DropoutMaskArgs } from "./kernels/dropout-mask.js";
export type {
  BinaryArgs,
  BinaryOp,
  BinaryRowsArgs,
  BinaryScalarArgs,
  SumLastAxisArgs,
} from "./kernels/elementwise.js";
export type { EmbeddingGatherArgs, EmbeddingScatterAddArgs } from "./kernels/embedding.js";
export type { GeluArgs, GeluBackwardArgs } from "./kernels/gelu.js";
export type { GemmArgs } from "./kernels/gemm.js";
export type { LayerNormArgs, LayerNormBackwardArgs } from "./kernels/layer-norm.js";
export type { SoftmaxArgs, SoftmaxBackwardArgs } from "./kernels/softmax.js";
export type { BinaryStridedArgs, StridedCopyArgs } from "./kernels/strided.js";
export { type AllocatorStats, sizeClass } from "./runtime/allocator.js";
export { createWasmRuntime, type WasmRuntime, type WasmRuntimeOptions } from "./runtime/create-runtime.js";
export type { SimdMode } from "./runtime/wasm-module.js";
export type { WasmMemory } from "./runtime/webassembly.js";
export { createWasmBackend, type WasmBackend } from "./tensor-backend/wasm-backend.js";
