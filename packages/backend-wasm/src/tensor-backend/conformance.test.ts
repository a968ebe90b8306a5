/**
 * The tensor package's own property suites (every primitive and composite against float64
 * references and finite differences, autodiff, memory, end to end), run on the wasm backend. The
 * suites come through the source-only export `@scratchgrad/tensor/testing/suites/*` (test files are not
 * built), not a relative path into the tensor package.
 */
import { afterAll } from "vitest";
import { createWasmBackend } from "./wasm-backend.js";

const backend = await createWasmBackend({ threads: 2 });
(globalThis as { __scratchgradTestBackends?: unknown }).__scratchgradTestBackends = [["wasm", backend]];
afterAll(() => backend.close());

await import("@scratchgrad/tensor/testing/suites/primitives/elementwise");
await import("@scratchgrad/tensor/testing/suites/primitives/reduction");
await import("@scratchgrad/tensor/testing/suites/primitives/matmul");
await import("@scratchgrad/tensor/testing/suites/primitives/movement");
await import("@scratchgrad/tensor/testing/suites/primitives/indexing");
await import("@scratchgrad/tensor/testing/suites/composites/composites");
await import("@scratchgrad/tensor/testing/suites/autodiff/autodiff");
await import("@scratchgrad/tensor/testing/suites/core/memory");
await import("@scratchgrad/tensor/testing/suites/core/fused");
await import("@scratchgrad/tensor/testing/suites/e2e");
