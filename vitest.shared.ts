import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

// Workspace packages export "source" (TypeScript) beside "default" (built dist): tests and tsx run the
// sources directly, so editing one package never needs a rebuild before testing another.
export const sharedConfig = defineConfig({
  resolve: { conditions: ["source", ...defaultServerConditions] },
  ssr: { resolve: { conditions: ["source", ...defaultServerConditions] } },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
