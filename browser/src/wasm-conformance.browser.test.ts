/**
 * The tensor core's conformance suites on the wasm backend in Chromium: Web Workers over a shared
 * WebAssembly.Memory, started from the page's main thread (which polls, as it may not block). Then
 * optim's AdamW suite, where `adamw` takes the backend's fused kernel.
 */
import { createWasmBackend } from "@scratchgrad/backend-wasm";
import { useBackend } from "@scratchgrad/tensor";
import { afterAll } from "vitest";
import { registerTensorSuites } from "./tensor-suites.js";

const backend = await createWasmBackend({ threads: 2 });
afterAll(() => backend.close());
await registerTensorSuites([["wasm (browser)", backend]]);
useBackend(backend);
await import("@scratchgrad/optim/testing/suites/transforms/fused-adamw");
