/**
 * `pnpm test:browser`: the suites in src/**\/*.browser.test.ts run in headless Chromium — the system's
 * (Debian's `chromium` package; `.ci/run` installs it), driven by Playwright; nothing downloads a
 * browser. CHROMIUM_PATH overrides where it is looked for.
 *
 * The page is cross-origin isolated (COOP/COEP headers on Vite's server), which SharedArrayBuffer and so
 * the wasm backend's threads need. The flags give software WebGL2 and WebGPU (ANGLE on SwiftShader): a
 * correctness check of the GPU kernels, not a speed figure.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { playwright } from "@vitest/browser-playwright";
import { defineConfig } from "vitest/config";
import { browserConditions } from "./conditions.js";

const chromium = process.env.CHROMIUM_PATH ?? ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find(existsSync);
if (chromium === undefined) {
  throw new Error(
    "no Chromium found at /usr/bin/chromium; install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH",
  );
}

const isolation = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

/** Runs the workload on Node's wasm backend in a child process (tsx, the packages' sources) and returns its JSON. */
const wasmReference = (_context: unknown, steps: number, threads: number): Promise<unknown> =>
  new Promise((resolve, reject) => {
    const script = fileURLToPath(new URL("./src/workload/node-reference.ts", import.meta.url));
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--conditions=source", script, String(steps), String(threads)],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`node-reference exited ${code}: ${err}`)),
    );
  });

export default defineConfig({
  resolve: { conditions: browserConditions },
  server: { headers: isolation },
  worker: { format: "es" },
  // gpu.js is CommonJS: pre-bundled up front rather than discovered mid-run (which reloads the page)
  optimizeDeps: { include: ["@scratchgrad/tensor > gpu.js"] },
  test: {
    // SCRATCHGRAD_BROWSER_BENCH=1 (the bench:browser script) runs the timings in bench/ instead
    include: [process.env.SCRATCHGRAD_BROWSER_BENCH ? "bench/**/*.browser.test.ts" : "src/**/*.browser.test.ts"],
    setupFiles: ["./src/browser-setup.ts"],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    // one file at a time: each file's suite starts its own backend and worker threads on 2 cores
    fileParallelism: false,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: {
          executablePath: chromium,
          args: [
            "--no-sandbox",
            "--use-angle=swiftshader",
            "--enable-unsafe-swiftshader",
            "--enable-unsafe-webgpu",
            "--enable-features=Vulkan",
          ],
        },
      }),
      instances: [{ browser: "chromium" }],
      commands: { wasmReference },
    },
  },
});
