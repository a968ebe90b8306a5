import { describe, expect, it } from "vitest";
import type { KernelExports } from "./kernel-exports.js";
import { createThreadPool } from "./thread-pool.js";
import { loadKernels } from "./wasm-module.js";
import { wasmApi } from "./webassembly.js";

async function setup(size: number) {
  const { module } = await loadKernels("plain");
  const memory = new wasmApi.Memory({ initial: 4, maximum: 16, shared: true });
  const exports = new wasmApi.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
  const pool = await createThreadPool({ module, memory, exports, size, spinIterations: 100 });
  return { memory, pool };
}

describe("createThreadPool", () => {
  it("runs each share on its own thread over the same memory", async () => {
    const { memory, pool } = await setup(3);
    try {
      const x = new Float32Array(memory.buffer, 65536, 48);
      x.fill(1);
      // out = x * 2 on three disjoint ranges, one per participant; repeat to cycle the handshake.
      for (let round = 0; round < 100; round++) {
        pool.run("binaryScalar", [
          [2, 65536, 2, 65536, 0, 16],
          [2, 65536, 2, 65536, 16, 32],
          [2, 65536, 2, 65536, 32, 48],
        ]);
      }
      expect(x[0]).toBe(2 ** 100);
      expect(new Set(x).size).toBe(1);
    } finally {
      await pool.dispose();
    }
  });

  it("runChunks hands every chunk to exactly one thread", async () => {
    const { memory, pool } = await setup(3);
    try {
      const n = 1000;
      const x = new Float32Array(memory.buffer, 65536, n);
      x.fill(0);
      // x += 1 over [0, n) in 63 chunks of 16, claimed by three threads; 50 rounds.
      for (let round = 0; round < 50; round++) pool.runChunks("binaryScalar", [0, 65536, 1, 65536], n, 16, 3);
      expect(new Set(x)).toEqual(new Set([50]));
    } finally {
      await pool.dispose();
    }
  });

  it("reports a trap on a worker instead of hanging, and stays usable", async () => {
    const { pool } = await setup(2);
    try {
      // An address past the end of memory traps inside the worker's kernel.
      expect(() =>
        pool.run("binaryScalar", [
          [2, 65536, 1, 65536, 0, 4],
          [2, 0x7ff00000, 1, 0x7ff00000, 0, 4],
        ]),
      ).toThrow(/trapped on worker 1|failed on the main thread/);
      pool.run("binaryScalar", [
        [2, 65536, 1, 65536, 0, 4],
        [2, 65536, 1, 65536, 4, 8],
      ]);
    } finally {
      await pool.dispose();
    }
  });
});
