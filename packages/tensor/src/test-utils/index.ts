/**
 * `@scratchgrad/tensor/testing`: the tensor package's test kit for other packages' tests, so they never
 * reach into this package's `src` by relative path. `checkOp` runs one property suite (forward against a
 * float64 reference, VJP against central finite differences) on every test backend; `reference` holds
 * those float64 references.
 * @example
 * import { checkOp, inputArb, reference as R } from "@scratchgrad/tensor/testing";
 * checkOp({ inputs: [x], impl: (x) => gelu(x), ref: (x) => R.map(x, geluRef) });
 */
export {
  broadcastShapesArb,
  checkOp,
  type Input,
  inputArb,
  type OpCase,
  onBackend,
  RUNS,
  shapeArb,
  testBackends,
  valuesArb,
} from "./check.js";
export type { Ref } from "./reference.js";
export * as reference from "./reference.js";
