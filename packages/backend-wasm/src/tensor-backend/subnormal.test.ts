/**
 * The wasm backend's buffers never hold a subnormal float, so its GEMMs can skip scanning for them
 * (`inputsNormal`): uploads, the JavaScript-loop unary ops and the GPU.js fallback flush what they
 * write, as every wasm kernel does.
 */
import * as sg from "@scratchgrad/tensor";
import { afterAll, expect, it } from "vitest";
import { createWasmBackend } from "./wasm-backend.js";

const backend = await createWasmBackend({ threads: 1, initialMemoryMiB: 16 });
afterAll(() => backend.close());

const subnormals = (xs: ArrayLike<number>) =>
  Array.from(xs).filter((x) => x !== 0 && Math.abs(x) < 2 ** -126);

it("uploads, unary ops, reductions, the fallback and a training-like chain hold no subnormal", () => {
  sg.withBackend(backend, () =>
    sg.scope(() => {
      const tiny = sg.tensor([1e-40, -3e-39, 1, -1e-45, 2e-38], [5]);
      expect(Array.from(tiny.data())).toEqual([0, -0, 1, -0, 2e-38].map(Math.fround));
      const e = sg.exp(sg.tensor([-100, -90, -87, 0], [4])); // Math.exp rounds the first two to subnormals
      expect(subnormals(e.data())).toEqual([]);
      expect(e.data()[0]).toBe(0);
      const x = sg.tensor(
        Float32Array.from({ length: 64 }, (_, i) => (i % 2 ? 1e-20 : -1e-20)),
        [8, 8],
      );
      const y = sg.matmul(x, x); // products of 1e-40
      const s = sg.sum(sg.mul(x, x), -1); // squares of 1e-20
      const f = sg.pow(x, 2); // a primitive without a wasm kernel: the GPU.js fallback
      for (const t of [y, s, f]) expect(subnormals(t.data())).toEqual([]);
    }),
  );
});
