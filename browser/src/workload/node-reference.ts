/**
 * Node's side of the bit-exactness check: runs `trainSteps` on Node's wasm backend and prints the losses
 * and the weights' bytes (base64) as one JSON line. The browser suite starts it through a Vitest
 * command (vitest.browser.config.ts) and compares with what the same code gives in Chromium.
 * Usage: node --import tsx --conditions=source src/workload/node-reference.ts <steps> <threads>
 */
import { createWasmBackend } from "@scratchgrad/backend-wasm";
import { useBackend } from "@scratchgrad/tensor";
import { trainSteps } from "./train-steps.js";

const [steps = "3", threads = "2"] = process.argv.slice(2);
const backend = await createWasmBackend({ threads: Number(threads) });
useBackend(backend);
const { losses, weights } = trainSteps(Number(steps));
console.log(
  JSON.stringify({ simd: backend.runtime.simd, losses, weights: Buffer.from(weights).toString("base64") }),
);
await backend.close();
