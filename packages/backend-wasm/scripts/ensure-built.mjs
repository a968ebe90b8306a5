// Builds the wasm kernels when build/ is missing or older than assembly/ (a clean clone, an edit).
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outputs = ["build/kernels-plain.wasm", "build/kernels-relaxed.wasm"].map((f) => join(root, f));
const newestSource = Math.max(
  ...readdirSync(join(root, "assembly")).map((f) => statSync(join(root, "assembly", f)).mtimeMs),
);
const stale = outputs.some((f) => !existsSync(f) || statSync(f).mtimeMs < newestSource);
if (stale) await import("./build-wasm.mjs");
