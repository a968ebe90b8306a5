/**
 * The `io` namespace under Node: everything in ./index.ts plus files on disk (safetensors read and
 * written atomically, named tensors to and from files).
 */
export { type FileContents, type WriteAtomicallyOptions, writeFileAtomically } from "./atomic-file.js";
export { readSafetensorsFile, writeSafetensorsFile } from "./file.js";
export * from "./index.js";
export { loadTensors, saveTensors } from "./tensor-files.js";
