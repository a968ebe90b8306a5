/**
 * The playground's Vite config: `pnpm --filter examples playground` serves it, `playground:build`
 * builds it into playground/dist. Both the dev and the preview server send COOP/COEP, which make the
 * page cross-origin isolated — SharedArrayBuffer, hence the wasm backend's threads, needs that. Another
 * host must send the same two headers (docs/playground.md).
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const isolation = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  // the workspace packages' TypeScript sources, as the tests and tsx use them
  resolve: { conditions: ["source", "browser", "module", "import", "default"] },
  server: { headers: isolation, port: 5173 },
  preview: { headers: isolation, port: 4173 },
  worker: { format: "es" },
  // the worker's imports too, found before the first page load: a dependency the dev server discovers
  // later (gpu.js, imported only by the worker) would make it reload the page mid-run
  optimizeDeps: { entries: ["index.html", "src/worker.ts"], include: ["@scratchgrad/tensor > gpu.js"] },
  build: { outDir: "dist", target: "es2022", emptyOutDir: true },
});
