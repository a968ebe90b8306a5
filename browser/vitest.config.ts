import { configDefaults, defineConfig, mergeConfig } from "vitest/config";
import { sharedConfig } from "../vitest.shared.js";

// `pnpm test` here runs in Node: the bundle check (src/bundle.test.ts). The browser suites
// (src/**/*.browser.test.ts) run under `pnpm test:browser` with vitest.browser.config.ts.
export default mergeConfig(
  sharedConfig,
  defineConfig({ test: { exclude: [...configDefaults.exclude, "**/*.browser.test.ts"] } }),
);
