/**
 * Buffers the fused kernels return become tensors, which `release` uncounts when disposed: so they
 * must be counted when made, or `liveBuffers()` drifts below the truth (it once went −1 per softmax).
 */
import * as sg from "@scratchgrad/tensor";
import { afterAll, expect, it, vi } from "vitest";
import { createWasmBackend } from "./wasm-backend.js";

const backend = await createWasmBackend({ threads: 1, initialMemoryMiB: 16 });
afterAll(() => backend.close());

it("fused forward and backward kernels leave the live-buffer count where it was", () => {
  sg.withBackend(backend, () => {
    const x = sg.tensor(
      Float32Array.from({ length: 24 }, (_, i) => Math.sin(i)),
      [4, 6],
    );
    const w = sg.ones([6]);
    const b = sg.zeros([6]);
    const labels = sg.tensor(Int32Array.from([1, 5, -100, 0]), [4], "int32");
    const spies = (["softmax", "layerNorm", "gelu", "crossEntropy"] as const).map((n) =>
      vi.spyOn(backend.fused![n]!, "forward"),
    );
    const before = backend.liveBuffers();
    sg.scope(() => {
      const loss = (t: sg.Tensor) =>
        sg.add(sg.crossEntropy(sg.gelu(sg.layerNorm(t, w, b, 1e-5)), labels), sg.sum(sg.softmax(t, -1)));
      sg.valueAndGrad(loss)(x);
    });
    expect(backend.liveBuffers()).toBe(before);
    for (const s of spies) expect(s).toHaveBeenCalled();
  });
});
