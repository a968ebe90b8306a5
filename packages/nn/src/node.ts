/**
 * @scratchgrad/nn under Node (the `node` export condition, or `@scratchgrad/nn/node`): the whole package
 * plus checkpoint directories on disk (`saveCheckpoint`, `loadCheckpoint`, `readWeights`). A browser
 * bundle gets ./index.ts, with `checkpointBlobs` / `loadCheckpointBlobs` for the same files as Blobs.
 */
export { loadCheckpoint, saveCheckpoint } from "./checkpoint/files.js";
export { readWeights } from "./checkpoint/weights.js";
export * from "./index.js";
