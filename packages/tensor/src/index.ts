/**
 * @scratchgrad/tensor — immutable tensors, functional reverse-mode autodiff over pytrees, GPU.js
 * kernels for every primitive, splittable PRNG keys and safetensors I/O.
 */

import { defaultGpuJsBackend } from "./backends/gpujs/default.js";
import { setDefaultBackend } from "./backends/select.js";

// autodiff
export { type GradOptions, grad, valueAndGrad, vjp } from "./autodiff/transforms.js";
// backends
export type {
  Backend,
  BackendBuffer,
  FusedKernel,
  FusedKernels,
  FusedName,
  FusedParams,
  FusedUpdateKernel,
  FusedUpdateKernels,
  KernelInput,
  KernelOutput,
  SavedBuffer,
} from "./backends/backend.js";
export { gpujsBackend } from "./backends/gpujs/default.js";
export {
  availableGpuJsModes,
  createGpuJsBackend,
  createGpuJsKernels,
  type GpuJsKernels,
  type GpuJsMode,
} from "./backends/gpujs/gpujs-backend.js";
export { currentBackend, useBackend, withBackend } from "./backends/select.js";
export { gelu, relu } from "./composites/activations.js";
export {
  MASK_VALUE,
  type MultiHeadAttentionOptions,
  multiHeadAttention,
} from "./composites/attention.js";
export { dropout, dropoutMask } from "./composites/dropout.js";
export { type CrossEntropyOptions, crossEntropy } from "./composites/losses.js";
export { layerNorm } from "./composites/normalization.js";
// composites (no gradient code of their own)
export { logSoftmax, logsumexp, mean, softmax, variance } from "./composites/reductions.js";
export { bind } from "./core/bind.js";
export { isTensor } from "./core/brand.js";
export type { AnyTypedArray, DType } from "./core/dtype.js";
export { DisposedTensorError, DTypeError, ShapeError } from "./core/errors.js";
export { fused, fusedUpdate } from "./core/fused.js";
export { dispose, disposeReplaced, keep, scope } from "./core/memory.js";
export { formatProfile, isProfiling, profileSnapshot, resetProfile, setProfiling } from "./core/profile.js";
// shape arithmetic, for backends that supply kernels
export { broadcastStrides, type Shape, sameShape, sizeOf, stridesOf } from "./core/shape.js";
export { type NestedArray, Tensor } from "./core/tensor.js";
export { type Tree, treeFlatten, treeLeaves, treeMap, treeMapWithPath, treeZip } from "./core/tree.js";
export * as io from "./io/index.js";
// operations
export {
  arange,
  fromTypedArray,
  full,
  fullLike,
  ones,
  onesLike,
  scalar,
  tensor,
  toBackend,
  zeros,
  zerosLike,
} from "./ops/creation.js";
export {
  abs,
  add,
  cast,
  cos,
  div,
  equal,
  erf,
  exp,
  greater,
  greaterEqual,
  less,
  lessEqual,
  log,
  maximum,
  minimum,
  mul,
  neg,
  notEqual,
  pow,
  reciprocal,
  rsqrt,
  sign,
  sin,
  sqrt,
  square,
  stopGradient,
  sub,
  type TensorLike,
  tanh,
  where,
} from "./ops/elementwise.js";
export { gather, scatterAdd } from "./ops/indexing.js";
export { type MatmulOptions, matmul } from "./ops/matmul.js";
export {
  broadcastTo,
  concat,
  expandDims,
  pad,
  permute,
  reshape,
  slice,
  sliceAxis,
  split,
  squeeze,
  swapAxes,
  transpose,
} from "./ops/movement.js";
export * as random from "./ops/random.js";
export { max, sum } from "./ops/reduction.js";
// primitives (for backends that supply kernels and for introspection)
export type {
  AbstractValue,
  ElementwisePrimitive,
  IndexingPrimitive,
  MatmulPrimitive,
  MovementPrimitive,
  Primitive,
  PrimitiveParams,
  PrimitiveRule,
  PrimitiveTable,
  ReductionPrimitive,
  VjpRule,
  VjpTable,
} from "./primitives/primitive.js";
export { primitiveTable } from "./primitives/table.js";
export { vjpTable } from "./primitives/vjp-table.js";
// raw PRNG streams over typed arrays, and safetensors I/O (raw records and tensors)
export * as randomArrays from "./random/index.js";

// The program's edge: the environment is read here, not in the core. Until `useBackend` picks another,
// new tensors go to the GPU.js mode SCRATCHGRAD_BACKEND names, else the best one available.
setDefaultBackend(() =>
  defaultGpuJsBackend(typeof process === "undefined" ? undefined : process.env.SCRATCHGRAD_BACKEND),
);
