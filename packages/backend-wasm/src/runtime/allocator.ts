import type { WasmMemory } from "./webassembly.js";

const ALIGN = 64;
const PAGE = 65536;

/** Allocation statistics of an {@link Allocator}. */
export interface AllocatorStats {
  /** Bytes requested by live allocations. */
  readonly liveBytes: number;
  readonly liveAllocations: number;
  /** Bytes of the memory in use by the allocator (live + cached free blocks). */
  readonly heapBytes: number;
  /** Current size of the WebAssembly memory. */
  readonly memoryBytes: number;
}

/** A 64-byte-aligned allocator over a growable WebAssembly memory. */
export interface Allocator {
  /** Returns the byte address of a block of at least `bytes` bytes, 64-byte aligned, never 0. */
  alloc(bytes: number): number;
  /** Returns a block from {@link Allocator.alloc} to its free list. */
  free(ptr: number): void;
  /** Size in bytes of the block at `ptr` (at least what was requested). */
  blockBytes(ptr: number): number;
  stats(): AllocatorStats;
}

/**
 * Size class of a request: multiples of 64 bytes up to 4 KiB, then 8 classes per power of two,
 * so a block wastes at most 1/8 of its size and freed blocks are reused by similar requests.
 */
export function sizeClass(bytes: number): number {
  const n = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
  if (n <= 4096) return n;
  const step = 2 ** (Math.floor(Math.log2(n)) - 3);
  return Math.ceil(n / step) * step;
}

/**
 * Size-class free lists over a bump pointer. Freed blocks go to the free list of their class and are
 * reused by the next request of that class; new blocks come from the bump pointer, growing the memory
 * (at least doubling, up to its maximum) when it runs out. `base` bytes at the start stay reserved,
 * so address 0 is never handed out.
 *
 * @example
 * const heap = createAllocator(memory, 65536);
 * const p = heap.alloc(4 * 1024); heap.free(p);
 */
export function createAllocator(memory: WasmMemory, base: number, maxBytes: number): Allocator {
  let top = Math.ceil(base / ALIGN) * ALIGN;
  const freeLists = new Map<number, number[]>();
  const live = new Map<number, { block: number; requested: number }>();
  let liveBytes = 0;

  function grow(needed: number): boolean {
    const current = memory.buffer.byteLength;
    if (needed <= current) return true;
    if (needed > maxBytes) return false;
    const target = Math.min(maxBytes, Math.max(needed, current * 2));
    try {
      memory.grow(Math.ceil((target - current) / PAGE));
      return true;
    } catch {
      try {
        memory.grow(Math.ceil((needed - current) / PAGE));
        return true;
      } catch {
        return false;
      }
    }
  }

  function reuseLarger(block: number): number | undefined {
    // Out of memory: take the smallest cached block that is big enough, whatever its class.
    let best: number | undefined;
    for (const [size, list] of freeLists) {
      if (size >= block && list.length > 0 && (best === undefined || size < best)) best = size;
    }
    return best === undefined ? undefined : best;
  }

  function alloc(bytes: number): number {
    if (!Number.isSafeInteger(bytes) || bytes < 0) {
      throw new Error(`backend-wasm: alloc expects an integer byte count >= 0, got ${bytes}`);
    }
    let block = sizeClass(bytes);
    let ptr = freeLists.get(block)?.pop();
    if (ptr === undefined) {
      if (grow(top + block)) {
        ptr = top;
        top += block;
      } else {
        const larger = reuseLarger(block);
        if (larger === undefined) {
          throw new Error(
            `backend-wasm: out of memory allocating ${bytes} bytes (${liveBytes} bytes live in ${live.size} ` +
              `allocations, memory limit ${maxBytes} bytes); free unused buffers or raise maxMemoryMiB`,
          );
        }
        block = larger;
        ptr = freeLists.get(larger)!.pop()!;
      }
    }
    live.set(ptr, { block, requested: bytes });
    liveBytes += bytes;
    return ptr;
  }

  function free(ptr: number): void {
    const entry = live.get(ptr);
    if (entry === undefined) {
      throw new Error(
        `backend-wasm: free(${ptr}) of an address that is not a live allocation (double free?)`,
      );
    }
    live.delete(ptr);
    liveBytes -= entry.requested;
    let list = freeLists.get(entry.block);
    if (list === undefined) {
      list = [];
      freeLists.set(entry.block, list);
    }
    list.push(ptr);
  }

  function blockBytes(ptr: number): number {
    const entry = live.get(ptr);
    if (entry === undefined) throw new Error(`backend-wasm: ${ptr} is not a live allocation`);
    return entry.block;
  }

  function stats(): AllocatorStats {
    return { liveBytes, liveAllocations: live.size, heapBytes: top, memoryBytes: memory.buffer.byteLength };
  }

  return { alloc, free, blockBytes, stats };
}
