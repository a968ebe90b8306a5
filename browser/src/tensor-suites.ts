/**
 * The tensor package's conformance suites (every primitive's values and gradients against float64,
 * composites, autodiff, buffer ownership, the fused-update hook, end to end), run in this browser on the
 * given backends.
 * They come through the source-only export `@scratchgrad/tensor/testing/suites/*`; the imports are
 * written out so Vite sees each one.
 */
import type { Backend } from "@scratchgrad/tensor";

const suites = [
  () => import("@scratchgrad/tensor/testing/suites/primitives/elementwise"),
  () => import("@scratchgrad/tensor/testing/suites/primitives/reduction"),
  () => import("@scratchgrad/tensor/testing/suites/primitives/matmul"),
  () => import("@scratchgrad/tensor/testing/suites/primitives/movement"),
  () => import("@scratchgrad/tensor/testing/suites/primitives/indexing"),
  () => import("@scratchgrad/tensor/testing/suites/composites/composites"),
  () => import("@scratchgrad/tensor/testing/suites/autodiff/autodiff"),
  () => import("@scratchgrad/tensor/testing/suites/core/memory"),
  () => import("@scratchgrad/tensor/testing/suites/core/fused"),
  () => import("@scratchgrad/tensor/testing/suites/e2e"),
];

/**
 * Registers the suites on `backends` (the hooks the tensor test kit reads before its first import), with
 * `propertyRuns` fast-check cases per property (default: the kit's 25).
 * @example await registerTensorSuites([["gpu.js webgl2", gpujsBackend("webgl2")]], { propertyRuns: 5 });
 */
export const registerTensorSuites = async (
  backends: readonly [string, Backend][],
  { propertyRuns }: { readonly propertyRuns?: number } = {},
): Promise<void> => {
  const hooks = globalThis as { __scratchgradTestBackends?: unknown; __scratchgradPropertyRuns?: number };
  hooks.__scratchgradTestBackends = backends;
  if (propertyRuns !== undefined) hooks.__scratchgradPropertyRuns = propertyRuns;
  for (const load of suites) await load();
};
