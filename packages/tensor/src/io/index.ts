/**
 * Hugging Face safetensors: parse, serialise, read from and write to Blobs, over plain typed arrays.
 * Runs anywhere; the file functions (`readSafetensorsFile`, `saveTensors`, ...) are Node's, in ./node.ts.
 */
export { readSafetensorsBlob, type SafetensorsSource, safetensorsBlob } from "./blob.js";
export type {
  RawTensor,
  RawTensorInput,
  SafetensorsDtype,
} from "./dtype.js";
export { MAX_HEADER_LENGTH, type SafetensorsError, SafetensorsWriteError } from "./errors.js";
export { bfloat16ToFloat32, float16ToFloat32, float32ToBfloat16, float32ToFloat16 } from "./half.js";
export { type Int64OutOfRange, int32ToInt64, int64ToInt32 } from "./int64.js";
export { type ParsedSafetensors, parseSafetensors } from "./parse.js";
export { prepareSafetensors, type SafetensorsChunks, serializeSafetensors } from "./serialize.js";
export {
  rawToTensor,
  tensorsFromParsed,
  tensorToRaw,
  type UnsupportedDtype,
} from "./tensors.js";
