/**
 * The tensor core's conformance suites on WebGPU. GPU.js's `webgpu` mode returns a Promise from every
 * kernel call and the engine is synchronous, so the suites run on GPU.js's cpu mode with every kernel
 * call recorded (they check values and gradients against float64 there, as in Node); then each recorded
 * call — forward and backward kernels of every primitive, on the suites' shapes — runs again on WebGPU
 * (SwiftShader's Vulkan in a headless run) and must give the cpu mode's result.
 */
import { gpujsBackend } from "@scratchgrad/tensor";
import { describe, expect, it } from "vitest";
import { registerTensorSuites } from "./tensor-suites.js";
import { type KernelCall, recordingBackend } from "./webgpu/record.js";
import { replayOnWebGpu } from "./webgpu/replay.js";

const calls: KernelCall[] = [];
await registerTensorSuites(
  [["gpu.js cpu, recorded for WebGPU", recordingBackend(gpujsBackend("cpu"), calls)]],
  {
    propertyRuns: 5,
  },
);

describe("on WebGPU", () => {
  it("every recorded kernel call gives the cpu mode's result", async () => {
    const { navigator } = globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } };
    const adapter = await navigator?.gpu?.requestAdapter();
    expect(adapter, "no WebGPU adapter: start Chromium with --enable-unsafe-webgpu").toBeTruthy();
    expect(calls.length).toBeGreaterThan(100);
    const summaries = await replayOnWebGpu(calls);
    console.log(
      summaries
        .map(
          (s) =>
            `${s.primitive}: ${s.calls} calls, max |Δ| ${s.maxError.toExponential(1)}${s.failures.length ? `, ${s.failures.length} failed: ${s.failures[0]}` : ""}`,
        )
        .join("\n"),
    );
    expect(
      summaries.filter((s) => s.failures.length > 0).map((s) => `${s.primitive}: ${s.failures[0]}`),
    ).toEqual([]);
  });
});
