/**
 * `@scratchgrad/optim`'s AdamW, memory and resume suites run on the wasm backend, where `adamw` takes
 * the fused kernel (the optim package's own run covers the GPU.js reference path): PyTorch's numbers,
 * the chain's within float32 rounding, a flat live-buffer count, and bit-identical resume. The suites
 * come through optim's source-only export `@scratchgrad/optim/testing/suites/*`.
 */
import { useBackend } from "@scratchgrad/tensor";
import { afterAll } from "vitest";
import { createWasmBackend } from "./wasm-backend.js";

const backend = await createWasmBackend({ threads: 2 });
useBackend(backend);
afterAll(() => backend.close());

await import("@scratchgrad/optim/testing/suites/adamw");
await import("@scratchgrad/optim/testing/suites/transforms/fused-adamw");
await import("@scratchgrad/optim/testing/suites/optimizers");
await import("@scratchgrad/optim/testing/suites/memory");
await import("@scratchgrad/optim/testing/suites/io/state-io");
