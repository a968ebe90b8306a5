/**
 * `@scratchgrad/optim`'s AdamW, memory and resume suites run on the wasm backend, where `adamw` takes
 * the fused kernel (the optim package's own run covers the GPU.js reference path): PyTorch's numbers,
 * the chain's within float32 rounding, a flat live-buffer count, and bit-identical resume.
 */
import { useBackend } from "@scratchgrad/tensor";
import { afterAll } from "vitest";
import { createWasmBackend } from "./wasm-backend.js";

const backend = await createWasmBackend({ threads: 2 });
useBackend(backend);
afterAll(() => backend.close());

await import("../../../optim/src/adamw.test.js");
await import("../../../optim/src/transforms/fused-adamw.test.js");
await import("../../../optim/src/optimizers.test.js");
await import("../../../optim/src/memory.test.js");
await import("../../../optim/src/io/state-io.test.js");
