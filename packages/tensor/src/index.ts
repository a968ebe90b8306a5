/**
 * @scratchgrad/tensor — immutable tensors, functional reverse-mode autodiff over pytrees, GPU.js
 * kernels for every primitive, splittable PRNG keys and safetensors I/O.
 */
export { Tensor, type NestedArray } from "./core/tensor.js";
export type { DType, AnyTypedArray } from "./core/dtype.js";
export type { Shape } from "./core/shape.js";
export { ShapeError, DTypeError, DisposedTensorError } from "./core/errors.js";
export { scope, keep, dispose, disposeReplaced } from "./core/memory.js";
export { type Tree, treeLeaves, treeMap, treeZip, treeFlatten } from "./core/tree.js";
export { setProfiling, isProfiling, profileSnapshot, resetProfile, formatProfile } from "./core/profile.js";

// backends
export type { Backend, BackendBuffer, KernelInput, KernelOutput } from "./backends/backend.js";
export { currentBackend, useBackend, withBackend, gpujsBackend } from "./backends/select.js";
export { createGpuJsBackend, availableGpuJsModes, type GpuJsMode } from "./backends/gpujs/gpujs-backend.js";

// primitives (for backends that supply kernels and for introspection)
export type { Primitive, PrimitiveParams, PrimitiveDef, AbstractValue } from "./primitives/primitive.js";
export { primitiveTable } from "./primitives/table.js";
export { bind } from "./core/bind.js";

// operations
export { tensor, fromTypedArray, full, zeros, ones, scalar, fullLike, zerosLike, onesLike, arange, toBackend } from "./ops/creation.js";
export {
  type TensorLike,
  neg, exp, log, sqrt, rsqrt, tanh, erf, abs, sign, reciprocal, sin, cos, square,
  add, sub, mul, div, pow, maximum, minimum,
  equal, notEqual, less, lessEqual, greater, greaterEqual, where, cast, stopGradient,
} from "./ops/elementwise.js";
export { sum, max } from "./ops/reduction.js";
export { matmul, type MatmulOptions } from "./ops/matmul.js";
export { reshape, permute, transpose, swapAxes, broadcastTo, slice, sliceAxis, pad, concat, expandDims, squeeze, split } from "./ops/movement.js";
export { gather, scatterAdd } from "./ops/indexing.js";
export * as random from "./ops/random.js";

// composites (no gradient code of their own)
export { mean, variance, logsumexp, logSoftmax, softmax } from "./composites/reductions.js";
export { gelu, relu } from "./composites/activations.js";
export { layerNorm } from "./composites/normalization.js";
export { crossEntropy, type CrossEntropyOptions } from "./composites/losses.js";
export { dropout } from "./composites/dropout.js";

// autodiff
export { vjp, grad, valueAndGrad, type GradOptions } from "./autodiff/transforms.js";

// raw PRNG streams and safetensors over typed arrays
export * as randomArrays from "./random/index.js";
