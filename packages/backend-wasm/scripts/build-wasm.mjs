// Compiles assembly/ into build/kernels-plain.wasm (SIMD) and build/kernels-relaxed.wasm (SIMD with
// relaxed-SIMD fused multiply-add). The memory is imported and shared so worker threads can run the
// same kernels over the same tensors; 65536 pages = 4 GiB, the wasm32 limit.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const asc = join(dirname(require.resolve("assemblyscript/package.json")), "bin", "asc.js");
const common = [
  "assembly/index.ts",
  "-O3",
  "--noAssert",
  "--disableWarning",
  "112",
  "--runtime",
  "stub",
  "--use",
  "abort=",
  "--enable",
  "simd",
  "--enable",
  "threads",
  "--importMemory",
  "--sharedMemory",
  "--initialMemory",
  "1",
  "--maximumMemory",
  "65536",
];
mkdirSync(join(root, "build"), { recursive: true });
for (const [name, extra] of [
  ["plain", []],
  ["relaxed", ["--enable", "relaxed-simd"]],
]) {
  execFileSync(process.execPath, [asc, ...common, ...extra, "--outFile", `build/kernels-${name}.wasm`], {
    cwd: root,
    stdio: "inherit",
  });
}
