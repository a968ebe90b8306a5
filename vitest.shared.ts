import { defaultServerConditions } from "vite";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Workspace packages export "source" (TypeScript) beside "default" (built dist): tests and tsx run the
// sources directly, so editing one package never needs a rebuild before testing another.
export const sharedConfig = defineConfig({
  resolve: { conditions: ["source", ...defaultServerConditions] },
  ssr: { resolve: { conditions: ["source", ...defaultServerConditions] } },
  test: {
    setupFiles: [fileURLToPath(new URL("./vitest.setup.ts", import.meta.url))],
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
