// Run as a child process by create-runtime.test.ts: uses a 2-thread runtime and never disposes it.
// The process must still exit on its own (the workers are unref'ed).
import { createWasmRuntime } from "../runtime/create-runtime.js";

const rt = await createWasmRuntime({ threads: 2, forceParallel: true, initialMemoryMiB: 1 });
const [a, b, c] = [rt.alloc(16384), rt.alloc(16384), rt.alloc(16384)];
rt.gemm({ m: 64, n: 64, k: 64, a, b, c });
console.log("done");
