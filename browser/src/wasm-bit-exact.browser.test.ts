/**
 * The wasm backend in Chromium gives Node's results bit for bit: the same training steps of a tiny GPT-2
 * (GEMMs, fused attention, layer norm, GELU, dropout, cross-entropy, AdamW) on 2 threads, the
 * relaxed-SIMD build in both, compared as losses and as the bytes of the saved model.safetensors — run
 * from the page's main thread (which polls) and from a dedicated Worker (which blocks in Atomics.wait).
 */
import { createWasmBackend } from "@scratchgrad/backend-wasm";
import { withBackend } from "@scratchgrad/tensor";
import { afterAll, expect, it } from "vitest";
import { commands } from "vitest/browser";
import { trainSteps } from "./workload/train-steps.js";

const STEPS = 3;
const backend = await createWasmBackend({ threads: 2 });
afterAll(() => backend.close());

// Node's run, started once for both tests.
let reference: ReturnType<typeof commands.wasmReference> | undefined;
const nodeReference = () => {
  reference ??= commands.wasmReference(STEPS, 2);
  return reference;
};

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
  const node = await nodeReference();
  const browser = withBackend(backend, () => trainSteps(STEPS));
  expect(browser.losses).toEqual(node.losses);
  expect(backend.runtime.simd).toBe(node.simd);
  expect(base64(browser.weights)).toEqual(node.weights);
});

it(`${STEPS} training steps inside a Web Worker give Node's losses and weights bit for bit`, async () => {
  const node = await nodeReference();
  type Reply = { simd: string; losses: number[]; weights: Uint8Array } | { error: string };
  const WorkerClass = (
    globalThis as unknown as {
      Worker: new (
        url: URL,
        options: { type: "module" },
      ) => {
        postMessage(m: unknown): void;
        terminate(): void;
        addEventListener(t: "message", l: (e: { data: Reply }) => void): void;
      };
    }
  ).Worker;
  const worker = new WorkerClass(new URL("./workload/train-in-worker.ts", import.meta.url), {
    type: "module",
  });
  const reply = await new Promise<Reply>((resolve) => {
    worker.addEventListener("message", (event) => resolve(event.data));
    worker.postMessage({ steps: STEPS });
  });
  worker.terminate();
  if ("error" in reply) throw new Error(reply.error);
  expect(reply.simd).toBe(node.simd);
  expect(reply.losses).toEqual(node.losses);
  expect(base64(reply.weights)).toEqual(node.weights);
});
