import { platform } from "#platform";
import { type AdamWArgs, adamw } from "../kernels/adamw.js";
import {
  type AttentionArgs,
  type AttentionBackwardArgs,
  attentionBackward,
  attentionForward,
} from "../kernels/attention.js";
import { type KernelContext, RESERVED_BYTES } from "../kernels/context.js";
import {
  type CrossEntropyArgs,
  type CrossEntropyBackwardArgs,
  type CrossEntropyResult,
  crossEntropy,
  crossEntropyBackward,
} from "../kernels/cross-entropy.js";
import { type DropoutMaskArgs, dropoutMask } from "../kernels/dropout-mask.js";
import {
  type BinaryArgs,
  type BinaryRowsArgs,
  type BinaryScalarArgs,
  binary,
  binaryRows,
  binaryScalar,
  type SumLastAxisArgs,
  sumLastAxis,
} from "../kernels/elementwise.js";
import {
  type EmbeddingGatherArgs,
  type EmbeddingScatterAddArgs,
  embeddingGather,
  embeddingScatterAdd,
} from "../kernels/embedding.js";
import { type GeluArgs, type GeluBackwardArgs, gelu, geluBackward } from "../kernels/gelu.js";
import { type GemmArgs, gemm } from "../kernels/gemm.js";
import {
  type LayerNormArgs,
  type LayerNormBackwardArgs,
  layerNorm,
  layerNormBackward,
} from "../kernels/layer-norm.js";
import {
  type SoftmaxArgs,
  type SoftmaxBackwardArgs,
  softmaxRows,
  softmaxRowsBackward,
} from "../kernels/softmax.js";
import {
  type BinaryStridedArgs,
  binaryStrided,
  type StridedCopyArgs,
  stridedCopy,
} from "../kernels/strided.js";
import { createAllocator } from "./allocator.js";
import type { KernelExports } from "./kernel-exports.js";
import { createThreadPool } from "./thread-pool.js";
import { loadKernels, type SimdMode } from "./wasm-module.js";
import { type WasmMemory, wasmApi } from "./webassembly.js";

const PAGE = 65536;
const MAX_PAGES = 65536; // the wasm32 limit, 4 GiB; the kernel module declares this maximum

/** Options of {@link createWasmRuntime}. */
export interface WasmRuntimeOptions {
  /** Threads taking part in each kernel, counting the calling thread (default: the machine's logical cores). */
  readonly threads?: number;
  /** SIMD build: `auto` (default) takes relaxed SIMD (fused multiply-add) when V8 supports it. */
  readonly simd?: SimdMode;
  /** Initial memory size (default 64 MiB); it grows on demand. */
  readonly initialMemoryMiB?: number;
  /** Memory ceiling (default and maximum 4096 MiB, the wasm32 limit). */
  readonly maxMemoryMiB?: number;
  /**
   * Split every kernel call across all threads regardless of size (default false). Only useful to
   * test the multi-threaded paths on small inputs; it makes small calls slower.
   */
  readonly forceParallel?: boolean;
  /** Polls of a job word before a thread sleeps in Atomics.wait (default 20000, ~20-50 µs). */
  readonly spinIterations?: number;
}

/**
 * Fast CPU kernels over one shared WebAssembly memory. Buffers are byte addresses from `alloc`;
 * every kernel is a synchronous call that may fan out to worker threads and returns when all are done.
 */
export interface WasmRuntime {
  /** Threads taking part in each kernel, counting the calling thread. */
  readonly threads: number;
  /** Which SIMD build runs. */
  readonly simd: "relaxed" | "plain";
  /** The shared memory (its `buffer` changes when it grows: make views with `f32`/`i32` as needed). */
  readonly memory: WasmMemory;
  /** Allocates `bytes` bytes, 64-byte aligned; contents are unspecified (reused blocks keep old data). */
  alloc(bytes: number): number;
  /** Releases a block from `alloc`. */
  free(ptr: number): void;
  /** A Float32Array view of `length` floats at `ptr`, valid until the memory next grows. */
  f32(ptr: number, length: number): Float32Array;
  /** An Int32Array view of `length` ints at `ptr`, valid until the memory next grows. */
  i32(ptr: number, length: number): Int32Array;
  /** Bytes requested by live allocations (for leak tests). */
  liveBytes(): number;
  /** Number of live allocations (for leak tests). */
  liveAllocations(): number;
  /** Current size of the shared memory in bytes. */
  memoryBytes(): number;
  gemm(args: GemmArgs): void;
  attentionForward(args: AttentionArgs): void;
  attentionBackward(args: AttentionBackwardArgs): void;
  softmaxRows(args: SoftmaxArgs): void;
  softmaxRowsBackward(args: SoftmaxBackwardArgs): void;
  layerNorm(args: LayerNormArgs): void;
  layerNormBackward(args: LayerNormBackwardArgs): void;
  gelu(args: GeluArgs): void;
  geluBackward(args: GeluBackwardArgs): void;
  crossEntropy(args: CrossEntropyArgs): CrossEntropyResult;
  crossEntropyBackward(args: CrossEntropyBackwardArgs): void;
  embeddingGather(args: EmbeddingGatherArgs): void;
  embeddingScatterAdd(args: EmbeddingScatterAddArgs): void;
  adamw(args: AdamWArgs): void;
  binary(args: BinaryArgs): void;
  binaryScalar(args: BinaryScalarArgs): void;
  binaryRows(args: BinaryRowsArgs): void;
  sumLastAxis(args: SumLastAxisArgs): void;
  stridedCopy(args: StridedCopyArgs): void;
  binaryStrided(args: BinaryStridedArgs): void;
  /** Dropout multipliers from a PRNG key, bit-identical to the tensor package's `dropoutMultiplier`. */
  dropoutMask(args: DropoutMaskArgs): void;
  /** Stops the worker threads; the runtime cannot be used afterwards. */
  dispose(): Promise<void>;
}

function positiveInteger(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`backend-wasm: ${name} must be an integer in [1, ${max}], got ${value}`);
  }
  return value;
}

/**
 * Compiles (once per process) and instantiates the kernels over a fresh shared memory, and starts
 * `threads - 1` worker threads that instantiate the same module over the same memory.
 *
 * @example
 * const rt = await createWasmRuntime({ threads: 2 });
 * const a = rt.alloc(4 * 6), b = rt.alloc(4 * 6), c = rt.alloc(4 * 4);
 * rt.f32(a, 6).set([1, 2, 3, 4, 5, 6]); rt.f32(b, 6).set([1, 0, 0, 1, 1, 1]);
 * rt.gemm({ m: 2, n: 2, k: 3, a, b, c }); // rt.f32(c, 4) -> [4, 5, 10, 11]
 * await rt.dispose();
 */
export async function createWasmRuntime(options: WasmRuntimeOptions = {}): Promise<WasmRuntime> {
  const threads = positiveInteger("threads", options.threads ?? platform.defaultThreads(), 256);
  const maxPages = Math.ceil(
    (positiveInteger("maxMemoryMiB", options.maxMemoryMiB ?? 4096, 4096) * 2 ** 20) / PAGE,
  );
  const initialPages = Math.min(
    maxPages,
    Math.ceil((positiveInteger("initialMemoryMiB", options.initialMemoryMiB ?? 64, 4096) * 2 ** 20) / PAGE),
  );
  const { module, simd } = await loadKernels(options.simd ?? "auto");
  const memory = new wasmApi.Memory({
    initial: initialPages,
    maximum: Math.min(maxPages, MAX_PAGES),
    shared: true,
  });
  const instance = new wasmApi.Instance(module, { env: { memory } });
  const exports = instance.exports as unknown as KernelExports;
  const heap = createAllocator(memory, RESERVED_BYTES, maxPages * PAGE);
  const scratchBytes = exports.gemmScratchBytes();
  const scratch = Array.from({ length: threads }, () => heap.alloc(scratchBytes));
  // Per-thread result slots, then one 64-byte slot for gemm's chunk counter.
  const results = heap.alloc((threads + 1) * 64);
  // Internal buffers are not the caller's: leak tests count from here.
  const baseline = heap.stats();
  const pool = await createThreadPool({
    module,
    memory,
    exports,
    size: threads,
    ...(options.spinIterations === undefined ? {} : { spinIterations: options.spinIterations }),
  });
  const forceParallel = options.forceParallel ?? false;
  const ctx: KernelContext = { exports, pool, memory, heap, scratch, results, forceParallel };

  return {
    threads,
    simd,
    memory,
    alloc: (bytes) => heap.alloc(bytes),
    free: (ptr) => heap.free(ptr),
    f32: (ptr, length) => new Float32Array(memory.buffer, ptr, length),
    i32: (ptr, length) => new Int32Array(memory.buffer, ptr, length),
    liveBytes: () => heap.stats().liveBytes - baseline.liveBytes,
    liveAllocations: () => heap.stats().liveAllocations - baseline.liveAllocations,
    memoryBytes: () => memory.buffer.byteLength,
    gemm: (args) => gemm(ctx, args),
    attentionForward: (args) => attentionForward(ctx, args),
    attentionBackward: (args) => attentionBackward(ctx, args),
    softmaxRows: (args) => softmaxRows(ctx, args),
    softmaxRowsBackward: (args) => softmaxRowsBackward(ctx, args),
    layerNorm: (args) => layerNorm(ctx, args),
    layerNormBackward: (args) => layerNormBackward(ctx, args),
    gelu: (args) => gelu(ctx, args),
    geluBackward: (args) => geluBackward(ctx, args),
    crossEntropy: (args) => crossEntropy(ctx, args),
    crossEntropyBackward: (args) => crossEntropyBackward(ctx, args),
    embeddingGather: (args) => embeddingGather(ctx, args),
    embeddingScatterAdd: (args) => embeddingScatterAdd(ctx, args),
    adamw: (args) => adamw(ctx, args),
    binary: (args) => binary(ctx, args),
    binaryScalar: (args) => binaryScalar(ctx, args),
    binaryRows: (args) => binaryRows(ctx, args),
    sumLastAxis: (args) => sumLastAxis(ctx, args),
    stridedCopy: (args) => stridedCopy(ctx, args),
    binaryStrided: (args) => binaryStrided(ctx, args),
    dropoutMask: (args) => dropoutMask(ctx, args),
    dispose: () => pool.dispose(),
  };
}
