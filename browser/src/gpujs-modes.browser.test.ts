/**
 * Which GPU.js modes the tensor package offers on a cross-origin isolated page (the wasm backend needs
 * the isolation): WebGL2 first, and not webasm, whose kernels each ask for a shared WebAssembly.Memory
 * that Chromium refuses — asking for it explicitly is an error that says what to use instead.
 */
import { availableGpuJsModes, createGpuJsBackend } from "@scratchgrad/tensor";
import { expect, it } from "vitest";

it("the default mode is WebGL2; webasm is refused with a clear error", () => {
  expect((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated).toBe(true);
  const modes = availableGpuJsModes();
  expect(modes[0]).toBe("webgl2");
  expect(modes).not.toContain("webasm");
  expect(() => createGpuJsBackend("webasm")).toThrow(/use @scratchgrad\/backend-wasm/);
});
