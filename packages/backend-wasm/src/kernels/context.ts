import type { Allocator } from "../runtime/allocator.js";
import type { KernelExports, KernelName } from "../runtime/kernel-exports.js";
import { splitRange, threadsFor } from "../runtime/split.js";
import type { ThreadPool } from "../runtime/thread-pool.js";
import type { WasmMemory } from "../runtime/webassembly.js";

/** Lowest address the allocator hands out: page 0 stays reserved so 0 is never a valid buffer. */
export const RESERVED_BYTES = 65536;

/** What every kernel wrapper needs: the main thread's kernels, the pool, and per-thread scratch. */
export interface KernelContext {
  readonly exports: KernelExports;
  readonly pool: ThreadPool;
  readonly memory: WasmMemory;
  readonly heap: Allocator;
  /** Per-participant GEMM packing buffers. */
  readonly scratch: readonly number[];
  /** Per-participant 64-byte result slots (reduction outputs such as loss sums), then gemm's chunk counter. */
  readonly results: number;
  /** Split every call across all threads, however small (tests use it to exercise the split paths). */
  readonly forceParallel: boolean;
}

/** Throws a descriptive error unless [ptr, ptr + bytes) lies inside allocatable memory. */
export function checkSpan(
  ctx: KernelContext,
  kernel: string,
  name: string,
  ptr: number,
  bytes: number,
): void {
  if (bytes <= 0) return;
  const limit = ctx.memory.buffer.byteLength;
  if (!Number.isInteger(ptr) || ptr < RESERVED_BYTES || ptr + bytes > limit) {
    throw new Error(
      `backend-wasm ${kernel}: ${name} spans [${ptr}, ${ptr + bytes}) outside the heap [${RESERVED_BYTES}, ${limit}); ` +
        "pass an address from rt.alloc with enough bytes for the shape",
    );
  }
}

/** Throws unless every value is a non-negative integer. */
export function checkSizes(kernel: string, sizes: Record<string, number>): void {
  for (const [name, value] of Object.entries(sizes)) {
    if (!Number.isInteger(value) || value < 0) {
      throw new Error(`backend-wasm ${kernel}: ${name} must be a non-negative integer, got ${value}`);
    }
  }
}

/**
 * Runs `kernel` over [0, total) split into aligned ranges, one per thread, using only as many threads
 * as `minPerThread` units of work each justify (small problems stay on the calling thread).
 */
export function runSplit(
  ctx: KernelContext,
  kernel: KernelName,
  total: number,
  options: { align: number; minPerThread: number; unitCost?: number },
  argsFor: (start: number, end: number, thread: number) => number[],
): void {
  if (total === 0) return;
  const threads = ctx.forceParallel
    ? ctx.pool.size
    : threadsFor(total * (options.unitCost ?? 1), options.minPerThread, ctx.pool.size);
  const ranges = splitRange(total, threads, options.align);
  ctx.pool.run(
    kernel,
    ranges.map(([start, end], t) => argsFor(start, end, t)),
  );
}

/**
 * Runs `kernel(...args, start, end)` over [0, total): on the calling thread alone when the work is
 * small, else in ~4 aligned chunks per thread that the threads claim dynamically. For kernels whose
 * only per-thread arguments are the range (everything except the reductions into per-thread slots).
 */
export function runChunks(
  ctx: KernelContext,
  kernel: KernelName,
  total: number,
  options: { align: number; minPerThread: number; unitCost?: number },
  args: number[],
): void {
  if (total === 0) return;
  const threads = ctx.forceParallel
    ? ctx.pool.size
    : threadsFor(total * (options.unitCost ?? 1), options.minPerThread, ctx.pool.size);
  if (threads === 1) {
    ctx.pool.run(kernel, [[...args, 0, total]]);
    return;
  }
  const chunk = Math.ceil(Math.ceil(total / (4 * threads)) / options.align) * options.align;
  ctx.pool.runChunks(kernel, args, total, chunk, threads);
}
