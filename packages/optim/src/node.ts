/**
 * @scratchgrad/optim under Node (the `node` export condition, or `@scratchgrad/optim/node`): the whole
 * package plus saving and resuming optimizer state as files (a safetensors file and a JSON beside it).
 */
export * from "./index.js";
export {
  type LoadOptimizerStateOptions,
  loadOptimizerState,
  type OptimizerStateError,
  type OptimizerStateJson,
  optimizerStatePaths,
  saveOptimizerState,
} from "./io/state-io.js";
