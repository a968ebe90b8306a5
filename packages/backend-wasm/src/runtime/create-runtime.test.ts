import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createWasmRuntime } from "./create-runtime.js";

describe("createWasmRuntime", () => {
  it.each(["plain", "relaxed"] as const)("runs the %s SIMD build", async (simd) => {
    const rt = await createWasmRuntime({ threads: 1, simd, initialMemoryMiB: 1 });
    try {
      expect(rt.simd).toBe(simd);
      const a = rt.alloc(24);
      const b = rt.alloc(24);
      const c = rt.alloc(16);
      rt.f32(a, 6).set([1, 2, 3, 4, 5, 6]);
      rt.f32(b, 6).set([1, 0, 0, 1, 1, 1]);
      rt.gemm({ m: 2, n: 2, k: 3, a, b, c });
      expect(Array.from(rt.f32(c, 4))).toEqual([4, 5, 10, 11]);
    } finally {
      await rt.dispose();
    }
  });

  it("grows its memory on demand, keeps data, and counts only the caller's allocations", async () => {
    const rt = await createWasmRuntime({ threads: 2, initialMemoryMiB: 2, maxMemoryMiB: 64 });
    try {
      expect(rt.liveAllocations()).toBe(0);
      const a = rt.alloc(4096);
      rt.f32(a, 1024).fill(7);
      const before = rt.memoryBytes();
      const big = rt.alloc(16 * 2 ** 20);
      expect(rt.memoryBytes()).toBeGreaterThan(before);
      expect(rt.f32(a, 1024).every((v) => v === 7)).toBe(true);
      // Workers see the grown memory: a split kernel over the new block works.
      rt.f32(big, 4 * 2 ** 20).fill(2);
      rt.binaryScalar({ op: "mul", a: big, scalar: 3, out: big, n: 4 * 2 ** 20 });
      expect(rt.f32(big + 4 * (4 * 2 ** 20 - 1), 1)[0]).toBe(6);
      expect(rt.liveAllocations()).toBe(2);
      expect(rt.liveBytes()).toBe(4096 + 16 * 2 ** 20);
      rt.free(a);
      rt.free(big);
      expect(rt.liveBytes()).toBe(0);
    } finally {
      await rt.dispose();
    }
  });

  it("gives the same bits on 1 and 2 threads while workers keep falling asleep (cancel/take-over races)", async () => {
    const one = await createWasmRuntime({ threads: 1, initialMemoryMiB: 4 });
    // spinIterations: 1 sends the worker to sleep after every job, so the main thread often cancels it.
    const two = await createWasmRuntime({
      threads: 2,
      forceParallel: true,
      spinIterations: 1,
      initialMemoryMiB: 4,
    });
    try {
      const [m, n, k] = [37, 45, 29];
      const outputs = [one, two].map((rt) => {
        const a = rt.alloc(m * k * 4);
        const b = rt.alloc(k * n * 4);
        const c = rt.alloc(m * n * 4);
        rt.f32(a, m * k).forEach((_, i, v) => {
          v[i] = Math.sin(i);
        });
        rt.f32(b, k * n).forEach((_, i, v) => {
          v[i] = Math.cos(i);
        });
        const results: number[] = [];
        for (let round = 0; round < 200; round++) {
          rt.gemm({ m, n, k, a, b, c, accumulate: round > 0, alpha: 0.01 });
          rt.gelu({ x: c, y: c, n: m * n });
          results.push(rt.f32(c, m * n).reduce((s, v) => s + v, 0));
        }
        return results;
      });
      expect(outputs[1]).toEqual(outputs[0]);
    } finally {
      await one.dispose();
      await two.dispose();
    }
  });

  it("refuses work after dispose and rejects bad options with the valid range", async () => {
    const rt = await createWasmRuntime({ threads: 2, initialMemoryMiB: 1 });
    const x = rt.alloc(64);
    await rt.dispose();
    expect(() => rt.gelu({ x, y: x, n: 16 })).toThrow(/disposed/);
    await expect(createWasmRuntime({ threads: 0 })).rejects.toThrow(
      /threads must be an integer in \[1, 256\]/,
    );
  });

  it("does not keep node alive when a runtime is never disposed", () => {
    const fixture = fileURLToPath(new URL("../test-utils/forgotten-runtime.ts", import.meta.url));
    const result = spawnSync(process.execPath, ["--import", "tsx", "--conditions=source", fixture], {
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.stdout).toContain("done");
    expect(result.status).toBe(0);
  });
});
