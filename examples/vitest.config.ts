import { defineConfig } from "vitest/config";
import { sharedConfig } from "../vitest.shared.js";

// the playground's Node-side tests too (its browser e2e runs under `pnpm test:browser`)
export default defineConfig({
  ...sharedConfig,
  test: { ...sharedConfig.test, include: ["src/**/*.test.ts", "test/**/*.test.ts", "playground/src/**/*.test.ts"] },
});
