/**
 * @scratchgrad/tensor under Node (the `node` export condition, or `@scratchgrad/tensor/node`): the whole
 * package, with `io` gaining the file functions (`readSafetensorsFile`, `writeSafetensorsFile`,
 * `loadTensors`, `saveTensors`, `writeFileAtomically`). A browser bundle gets ./index.ts, which has none
 * of Node's modules in its import graph.
 */
export * from "./index.js";
export * as io from "./io/node.js";
