import type { AnyTypedArray, DType } from "../core/dtype.js";
import type { Shape } from "../core/shape.js";
import type { Primitive, PrimitiveParams } from "../primitives/primitive.js";
import type { Key } from "../random/key.js";

/** A backend's own handle for one tensor's elements: a typed array, a GPU texture, a wasm pointer. */
export type BackendBuffer = unknown;

/** What a kernel sees of one input: its buffer and its abstract value. */
export interface KernelInput {
  readonly buffer: BackendBuffer;
  readonly shape: Shape;
  readonly dtype: DType;
}

/** The abstract value of a primitive's result, from the primitive's shape rule. */
export interface KernelOutput {
  readonly shape: Shape;
  readonly dtype: DType;
}

/**
 * Where tensors live and primitives run. A backend is a value: pass it to `useBackend` or
 * `withBackend`, nothing registers itself by being imported.
 *
 * Ownership: every buffer returned by `upload` or `run` is owned by exactly one storage object of the
 * tensor core, which calls `release` exactly once when the last tensor using it is disposed.
 */
export interface Backend {
  readonly name: string;
  /** Copies host data into a new buffer. int32 and bool data arrive as their own typed arrays. */
  upload(data: AnyTypedArray, dtype: DType): BackendBuffer;
  /** Copies a buffer back to the host as a fresh typed array of `dtype` with `size` elements. */
  read(buffer: BackendBuffer, dtype: DType, size: number): AnyTypedArray;
  /** Frees a buffer. Called once per buffer. */
  release(buffer: BackendBuffer): void;
  /** Whether this backend has a kernel for `primitive` with these inputs (a fallback runs it otherwise). */
  supports?(primitive: Primitive, inputs: readonly KernelInput[], params: unknown): boolean;
  /** Runs one primitive, returning a new buffer holding the result. */
  run<P extends Primitive>(
    primitive: P,
    inputs: readonly KernelInput[],
    params: PrimitiveParams[P],
    output: KernelOutput,
  ): BackendBuffer;
  /**
   * Makes `dropout`'s multiplier for `key` over `shape` (float32: 0 or the kept scale) in the backend's
   * own memory, instead of generating it on the host and uploading it (optional). It must equal
   * `randomArrays.dropoutMultiplier(key, size, p)` bit for bit (`randomArrays.dropoutThreshold(p)` gives
   * the threshold and scale); `p` arrives validated, in (0, 1).
   */
  dropoutMultiplier?(key: Key, shape: Shape, p: number): BackendBuffer;
  /** Number of buffers allocated and not yet released: the memory tests watch this. */
  liveBuffers(): number;
  /** Fused kernels for some composites (optional: the decompositions run otherwise). */
  readonly fused?: FusedKernels;
  /**
   * Fused non-differentiable updates by name, e.g. optim's AdamW step (optional: the decompositions
   * run otherwise).
   */
  readonly fusedUpdates?: FusedUpdateKernels;
  /** Releases everything the backend holds (compiled kernels, pools, workers). */
  dispose?(): void;
}

/**
 * Composites a backend may run as fused kernels instead of their primitive decompositions. Each has
 * a forward kernel and a backward kernel; the decomposition stays the reference they are tested
 * against, and is what runs everywhere else (and under nested differentiation).
 */
export interface FusedParams {
  /** softmax over the last axis. */
  softmax: Record<string, never>;
  /** layerNorm over the last axis; inputs x, weight, bias. */
  layerNorm: { readonly eps: number };
  /** GELU, tanh or erf form. */
  gelu: { readonly approximate: "tanh" | "none" };
  /** mean cross-entropy of logits [N, V] against int32 targets [N]; output a scalar. */
  crossEntropy: { readonly ignoreIndex: number };
  /**
   * multi-head attention (`multiHeadAttention`): inputs q [B, Tq, C], k and v [B, Tk, C], then an
   * additive key mask [B, Tk] when `keyMask`, then a dropout multiplier [B, H, Tq, Tk] when
   * `dropout`; output [B, Tq, C]. The masks' cotangents are null.
   */
  attention: {
    readonly nHead: number;
    readonly causal: boolean;
    readonly scale: number;
    readonly keyMask: boolean;
    readonly dropout: boolean;
  };
}

export type FusedName = keyof FusedParams;

/** A buffer the forward kernel saves for the backward one (e.g. layerNorm's mean and 1/σ). */
export interface SavedBuffer {
  readonly buffer: BackendBuffer;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

export interface FusedKernel<N extends FusedName> {
  /** Whether this kernel handles these inputs (else the decomposition runs). */
  supports(inputs: readonly KernelInput[], params: FusedParams[N]): boolean;
  forward(
    inputs: readonly KernelInput[],
    params: FusedParams[N],
    output: KernelOutput,
  ): { output: BackendBuffer; saved: readonly SavedBuffer[] };
  /** Cotangents of the inputs (null where an input takes none) from the output's cotangent `g`. */
  backward(
    g: KernelInput,
    inputs: readonly KernelInput[],
    output: KernelInput,
    saved: readonly KernelInput[],
    params: FusedParams[N],
  ): readonly (BackendBuffer | null)[];
}

export type FusedKernels = { readonly [N in FusedName]?: FusedKernel<N> };

/**
 * A backend's kernel for one fused update: a non-differentiable step over several tensors, such as
 * an optimizer's step on one parameter, run in one pass instead of as a dozen primitives. The core
 * knows neither its math nor its params: the package that owns the math names the update, defines
 * `Params`, and keeps the decomposition it is tested against (`@scratchgrad/optim`'s `"adamw"`, with
 * its `AdamWUpdateParams`, is the chain `scaleByAdam → addDecayedWeights → scaleByLearningRate`).
 * A backend supplies the kernel under that name in `fusedUpdates`; `fusedUpdate` dispatches to it.
 */
export interface FusedUpdateKernel<Params> {
  /** Whether this kernel handles these inputs (else the decomposition runs). */
  supports(inputs: readonly KernelInput[], params: Params): boolean;
  /**
   * Returns one NEW buffer per entry of `outputs`, in order; the inputs are never written (tensors
   * are immutable).
   */
  run(
    inputs: readonly KernelInput[],
    params: Params,
    outputs: readonly KernelOutput[],
  ): readonly BackendBuffer[];
}

/**
 * Fused updates a backend supplies, by the name their owning package gives them. Unlike
 * `FusedKernels` they have no backward kernel: an update is not differentiated, and while a `vjp`
 * records, the decomposition runs instead. Each kernel's params are its owner's type, which the
 * backend imports (the wasm backend: `adamw: FusedUpdateKernel<AdamWUpdateParams>` from optim); the
 * name is the contract between them.
 */
export type FusedUpdateKernels = { readonly [name: string]: FusedUpdateKernel<never> | undefined };
