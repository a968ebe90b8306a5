import * as E from "fp-ts/lib/Either.js";
import { pipe } from "fp-ts/lib/function.js";
import type { Tensor } from "../core/tensor.js";
import { fromTypedArray } from "../ops/creation.js";
import type { RawTensor, RawTensorInput } from "./dtype.js";
import type { SafetensorsError } from "./errors.js";
import { int64ToInt32 } from "./int64.js";
import type { ParsedSafetensors } from "./parse.js";

/** The safetensors record of a tensor: float32 → F32, int32 → I32, bool → BOOL. */
export const tensorToRaw = (t: Tensor): RawTensorInput => {
  const shape = [...t.shape];
  if (t.dtype === "float32") return { dtype: "F32", shape, data: t.data() as Float32Array };
  if (t.dtype === "int32") return { dtype: "I32", shape, data: t.data() as Int32Array };
  return { dtype: "BOOL", shape, data: t.data() as Uint8Array };
};

/** An error for a stored dtype scratchgrad cannot hold. */
export interface UnsupportedDtype {
  readonly _tag: "UnsupportedDtype";
  readonly name: string;
  readonly message: string;
}

/**
 * A tensor from a safetensors record: F32/F16/BF16/F64 become float32, I32/I64 int32 (I64 out of the
 * int32 range is an error), BOOL bool.
 */
export const rawToTensor = (
  name: string,
  raw: RawTensor,
): E.Either<UnsupportedDtype | SafetensorsError, Tensor> => {
  switch (raw.dtype) {
    case "F32":
    case "F16":
    case "BF16":
      return E.right(fromTypedArray(raw.data, raw.shape, "float32"));
    case "F64":
      return E.right(fromTypedArray(Float32Array.from(raw.data), raw.shape, "float32"));
    case "I32":
      return E.right(fromTypedArray(raw.data, raw.shape, "int32"));
    case "I64":
      return pipe(
        int64ToInt32(raw.data),
        E.mapLeft((e) => ({ _tag: "UnsupportedDtype" as const, name, message: `${name}: ${e.message}` })),
        E.map((data) => fromTypedArray(data, raw.shape, "int32")),
      );
    case "BOOL":
      return E.right(fromTypedArray(raw.data, raw.shape, "bool"));
    default:
      return E.left({
        _tag: "UnsupportedDtype",
        name,
        message: `${name}: dtype ${raw.dtype} is not supported (float32, int32 and bool are)`,
      });
  }
};

/** All tensors of a parsed file, by name. */
export const tensorsFromParsed = (
  parsed: ParsedSafetensors,
): E.Either<UnsupportedDtype | SafetensorsError, Record<string, Tensor>> => {
  const out: Record<string, Tensor> = {};
  for (const [name, raw] of Object.entries(parsed.tensors)) {
    const t = rawToTensor(name, raw);
    if (E.isLeft(t)) return t;
    out[name] = t.right;
  }
  return E.right(out);
};
