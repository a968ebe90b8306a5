/**
 * The tensor package's own property suites (every primitive and composite against float64
 * references and finite differences, autodiff, memory, end to end), run on the wasm backend.
 */
import { afterAll } from "vitest";
import { createWasmBackend } from "./wasm-backend.js";

const backend = await createWasmBackend({ threads: 2 });
(globalThis as { __scratchgradTestBackends?: unknown }).__scratchgradTestBackends = [["wasm", backend]];
afterAll(() => backend.close());

await import("../../../tensor/src/primitives/elementwise.test.js");
await import("../../../tensor/src/primitives/reduction.test.js");
await import("../../../tensor/src/primitives/matmul.test.js");
await import("../../../tensor/src/primitives/movement.test.js");
await import("../../../tensor/src/primitives/indexing.test.js");
await import("../../../tensor/src/composites/composites.test.js");
await import("../../../tensor/src/composites/adamw.test.js");
await import("../../../tensor/src/autodiff/autodiff.test.js");
await import("../../../tensor/src/core/memory.test.js");
await import("../../../tensor/src/e2e.test.js");
