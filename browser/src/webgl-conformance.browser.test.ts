/**
 * The tensor core's conformance suites on GPU.js's WebGL2 mode in Chromium (software WebGL on
 * SwiftShader in a headless run: a correctness check of the kernels, not a speed figure).
 */
import { gpujsBackend } from "@scratchgrad/tensor";
import { registerTensorSuites } from "./tensor-suites.js";

// Every new shape compiles new shaders (slow on software WebGL): fewer cases per property than in Node.
await registerTensorSuites([["gpu.js webgl2", gpujsBackend("webgl2")]], { propertyRuns: 5 });
