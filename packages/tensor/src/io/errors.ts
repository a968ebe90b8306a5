/**
 * Everything that can be wrong with a safetensors file or with tensors handed to the writer, as a
 * tagged union. Every variant carries a `message` that names the tensor or byte range involved and,
 * where there is one, the fix.
 */

/** Why a safetensors file could not be read or written. Switch on `_tag`; show `message`. */
export type SafetensorsError =
  | { readonly _tag: "FileTooSmall"; readonly message: string; readonly fileLength: number }
  | {
      readonly _tag: "HeaderLengthOutOfBounds";
      readonly message: string;
      readonly headerLength: number;
      readonly fileLength: number;
    }
  | { readonly _tag: "HeaderTooLarge"; readonly message: string; readonly headerLength: number }
  | { readonly _tag: "InvalidHeaderUtf8"; readonly message: string }
  | { readonly _tag: "InvalidHeaderJson"; readonly message: string }
  | { readonly _tag: "InvalidMetadata"; readonly message: string }
  | { readonly _tag: "InvalidTensorInfo"; readonly message: string; readonly tensor: string }
  | {
      readonly _tag: "UnknownDtype";
      readonly message: string;
      readonly tensor: string;
      readonly dtype: string;
    }
  | { readonly _tag: "ShapeOffsetMismatch"; readonly message: string; readonly tensor: string }
  | { readonly _tag: "OffsetsOutOfBounds"; readonly message: string; readonly tensor: string }
  | { readonly _tag: "OverlappingOffsets"; readonly message: string; readonly tensor: string }
  | { readonly _tag: "NonContiguousOffsets"; readonly message: string; readonly tensor: string }
  | { readonly _tag: "TrailingBytes"; readonly message: string }
  | { readonly _tag: "InvalidTensorData"; readonly message: string; readonly tensor: string }
  | { readonly _tag: "IoError"; readonly message: string; readonly path: string };

/** Hugging Face's reader refuses headers above 100 MB; so do we (a real header is a few KB). */
export const MAX_HEADER_LENGTH = 100_000_000;

/** An `Error` carrying a `SafetensorsError`, thrown by the non-Either writer `serializeSafetensors`. */
export class SafetensorsWriteError extends Error {
  override readonly name = "SafetensorsWriteError";
  constructor(readonly error: SafetensorsError) {
    super(error.message);
  }
}
