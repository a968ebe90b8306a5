// The Node-side commands the browser suites call (vitest.browser.config.ts).
import "vitest/browser";

declare module "vitest/browser" {
  interface BrowserCommands {
    /** Node's wasm backend on the same workload: losses, weights (base64) and the SIMD build used. */
    wasmReference(
      steps: number,
      threads: number,
    ): Promise<{ simd: string; losses: number[]; weights: string }>;
  }
}
