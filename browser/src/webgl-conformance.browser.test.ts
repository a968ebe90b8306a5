/**
 * The tensor core's conformance suites on GPU.js's WebGL2 mode in Chromium (software WebGL on
 * SwiftShader in a headless run: a correctness check of the kernels, not a speed figure).
 */
import { gpujsBackend } from "@scratchgrad/tensor";

// Every new shape compiles new shaders (slow on software WebGL): fewer cases per property than in Node.
(globalThis as { __scratchgradPropertyRuns?: number }).__scratchgradPropertyRuns = 5;
(globalThis as { __scratchgradTestBackends?: unknown }).__scratchgradTestBackends = [
  ["gpu.js webgl2", gpujsBackend("webgl2")],
];

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
