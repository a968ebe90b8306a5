/**
 * Named tensors to and from safetensors files on disk (Node only; a browser uses `readSafetensorsBlob`
 * and `safetensorsBlob` with `tensorsFromParsed` / `tensorToRaw`).
 */
import * as E from "fp-ts/lib/Either.js";
import { pipe } from "fp-ts/lib/function.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import type { Tensor } from "../core/tensor.js";
import type { RawTensorInput } from "./dtype.js";
import type { SafetensorsError } from "./errors.js";
import { readSafetensorsFile, writeSafetensorsFile } from "./file.js";
import { tensorsFromParsed, tensorToRaw, type UnsupportedDtype } from "./tensors.js";

/**
 * Writes named tensors to a safetensors file (atomically).
 * @example await saveTensors("out/model.safetensors", { "wte.weight": w }, { format: "pt" })();
 */
export const saveTensors = (
  path: string,
  tensors: Readonly<Record<string, Tensor>>,
  metadata?: Readonly<Record<string, string>>,
): TE.TaskEither<SafetensorsError, void> => {
  const raw: Record<string, RawTensorInput> = {};
  for (const [name, t] of Object.entries(tensors)) raw[name] = tensorToRaw(t);
  return writeSafetensorsFile(path, raw, metadata);
};

/** Reads a safetensors file into named tensors and its metadata. */
export const loadTensors = (
  path: string,
): TE.TaskEither<
  UnsupportedDtype | SafetensorsError,
  { tensors: Record<string, Tensor>; metadata: Record<string, string> }
> =>
  pipe(
    readSafetensorsFile(path),
    TE.chainEitherKW((parsed) =>
      pipe(
        tensorsFromParsed(parsed),
        E.map((tensors) => ({ tensors, metadata: parsed.metadata })),
      ),
    ),
  );
