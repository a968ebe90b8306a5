/**
 * The tensor core's conformance suites (every primitive's values and gradients against float64,
 * composites, autodiff, buffer ownership, end to end) on the wasm backend in Chromium: Web Workers over a
 * shared WebAssembly.Memory, started from the page's main thread (which polls, as it may not block).
 */
import { createWasmBackend } from "@scratchgrad/backend-wasm";
import { afterAll } from "vitest";

const backend = await createWasmBackend({ threads: 2 });
(globalThis as { __scratchgradTestBackends?: unknown }).__scratchgradTestBackends = [
  ["wasm (browser)", backend],
];
afterAll(() => backend.close());

await import("@scratchgrad/tensor/testing/suites/primitives/elementwise");
await import("@scratchgrad/tensor/testing/suites/primitives/reduction");
await import("@scratchgrad/tensor/testing/suites/primitives/matmul");
await import("@scratchgrad/tensor/testing/suites/primitives/movement");
await import("@scratchgrad/tensor/testing/suites/primitives/indexing");
await import("@scratchgrad/tensor/testing/suites/composites/composites");
await import("@scratchgrad/tensor/testing/suites/composites/adamw");
await import("@scratchgrad/tensor/testing/suites/autodiff/autodiff");
await import("@scratchgrad/tensor/testing/suites/core/memory");
await import("@scratchgrad/tensor/testing/suites/e2e");
