/**
 * The wasm backend in Chromium gives Node's results bit for bit: the same training steps of a tiny GPT-2
 * (GEMMs, fused attention, layer norm, GELU, dropout, cross-entropy, AdamW) on 2 threads, the
 * relaxed-SIMD build in both, compared as losses and as the bytes of the saved model.safetensors.
 */
import { createWasmBackend } from "@scratchgrad/backend-wasm";
import { withBackend } from "@scratchgrad/tensor";
import { afterAll, expect, it } from "vitest";
import { commands } from "vitest/browser";
import { trainSteps } from "./workload/train-steps.js";

const STEPS = 3;
const backend = await createWasmBackend({ threads: 2 });
afterAll(() => backend.close());

const base64 = (bytes: Uint8Array): string => {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
};

it("the page is cross-origin isolated and the runtime has 2 threads on the relaxed-SIMD build", () => {
  expect((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated).toBe(true);
  expect(backend.runtime.threads).toBe(2);
  expect(backend.runtime.simd).toBe("relaxed");
});

it(`${STEPS} training steps give Node's losses and weights bit for bit`, async () => {
  const node = await commands.wasmReference(STEPS, 2);
  const browser = withBackend(backend, () => trainSteps(STEPS));
  expect(browser.losses).toEqual(node.losses);
  expect(backend.runtime.simd).toBe(node.simd);
  expect(base64(browser.weights)).toEqual(node.weights);
});
