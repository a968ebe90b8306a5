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
  build: { outDir: "dist", target: "es2022", emptyOutDir: true },
});
