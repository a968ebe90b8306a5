/**
 * The playground's browser e2e (`pnpm --filter examples test:browser`): Node drives the system
 * Chromium with playwright-core against a Vite dev server of the playground. Only the e2e files run.
 */
import { defineConfig } from "vitest/config";
import { sharedConfig } from "../../vitest.shared.js";

export default defineConfig({
  ...sharedConfig,
  test: {
    ...sharedConfig.test,
    include: ["playground/test/**/*.test.ts"],
    testTimeout: 900_000,
    hookTimeout: 120_000,
  },
});
