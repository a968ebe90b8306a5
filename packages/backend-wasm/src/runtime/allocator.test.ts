import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createAllocator, sizeClass } from "./allocator.js";
import { wasmApi } from "./webassembly.js";

const PAGE = 65536;
const newMemory = (initial: number, maximum: number) =>
  new wasmApi.Memory({ initial, maximum, shared: true });

describe("sizeClass", () => {
  it("is a 64-byte multiple >= the request, wasting at most 1/8 above 4 KiB", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (bytes) => {
        const c = sizeClass(bytes);
        expect(c % 64).toBe(0);
        expect(c).toBeGreaterThanOrEqual(Math.max(bytes, 64));
        if (bytes > 4096) expect(c - bytes).toBeLessThanOrEqual(bytes / 8 + 64);
      }),
    );
  });
});

describe("createAllocator", () => {
  it("hands out aligned, disjoint blocks and accounts live bytes exactly under random alloc/free", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 20_000 }), fc.constant(-1)), { maxLength: 60 }),
        (ops) => {
          const memory = newMemory(1, 64);
          const heap = createAllocator(memory, PAGE / 4, 64 * PAGE);
          const live = new Map<number, number>();
          for (const op of ops) {
            if (op === -1) {
              const first = live.keys().next();
              if (first.done) continue;
              heap.free(first.value);
              live.delete(first.value);
            } else {
              const ptr = heap.alloc(op);
              expect(ptr % 64).toBe(0);
              expect(ptr).toBeGreaterThanOrEqual(PAGE / 4);
              expect(ptr + op).toBeLessThanOrEqual(memory.buffer.byteLength);
              live.set(ptr, op);
            }
            const blocks = [...live.keys()].sort((a, b) => a - b);
            for (let i = 1; i < blocks.length; i++) {
              expect(blocks[i - 1]! + heap.blockBytes(blocks[i - 1]!)).toBeLessThanOrEqual(blocks[i]!);
            }
            const stats = heap.stats();
            expect(stats.liveAllocations).toBe(live.size);
            expect(stats.liveBytes).toBe([...live.values()].reduce((s, v) => s + v, 0));
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it("reuses freed blocks of the same size class", () => {
    const heap = createAllocator(newMemory(1, 4), 64, 4 * PAGE);
    const a = heap.alloc(1000);
    heap.free(a);
    expect(heap.alloc(1000)).toBe(a);
  });

  it("grows the memory and keeps existing data", () => {
    const memory = newMemory(1, 256);
    const heap = createAllocator(memory, 64, 256 * PAGE);
    const a = heap.alloc(1024);
    new Float32Array(memory.buffer, a, 256).fill(3.5);
    const big = heap.alloc(4 * PAGE);
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(big + 4 * PAGE);
    expect(new Float32Array(memory.buffer, a, 256).every((v) => v === 3.5)).toBe(true);
  });

  it("says how much is live when it runs out, and rejects double frees", () => {
    const heap = createAllocator(newMemory(1, 2), 64, 2 * PAGE);
    const a = heap.alloc(1000);
    expect(() => heap.alloc(3 * PAGE)).toThrow(
      /out of memory allocating 196608 bytes \(1000 bytes live in 1/,
    );
    heap.free(a);
    expect(() => heap.free(a)).toThrow(/double free/);
    expect(() => heap.alloc(1.5)).toThrow(/integer byte count/);
  });

  it("falls back to a larger cached block when the memory cannot grow", () => {
    const heap = createAllocator(newMemory(1, 1), 64, PAGE);
    const big = heap.alloc(40_000);
    heap.free(big);
    expect(heap.alloc(30_000)).toBe(big);
  });
});
