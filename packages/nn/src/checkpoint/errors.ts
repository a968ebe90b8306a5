/**
 * Everything that can go wrong reading or writing a checkpoint, as a tagged union. Every variant has a
 * `message` naming the file or parameter and, where known, the fix.
 */

import type { io } from "@scratchgrad/tensor";

/** Why a checkpoint could not be loaded or saved. Switch on `_tag`; show `message`. */
export type CheckpointError =
  | { readonly _tag: "MissingKeys"; readonly message: string; readonly keys: readonly string[] }
  | { readonly _tag: "UnexpectedKeys"; readonly message: string; readonly keys: readonly string[] }
  | {
      readonly _tag: "ShapeMismatch";
      readonly message: string;
      readonly key: string;
      readonly expected: readonly number[];
      readonly got: readonly number[];
    }
  | {
      readonly _tag: "UnsupportedDtype";
      readonly message: string;
      readonly key: string;
      readonly dtype: string;
    }
  | {
      readonly _tag: "UntiedWeights";
      readonly message: string;
      readonly key: string;
      readonly tiedTo: string;
    }
  | { readonly _tag: "InvalidSafetensors"; readonly message: string }
  | { readonly _tag: "InvalidConfig"; readonly message: string }
  | { readonly _tag: "UnknownModelType"; readonly message: string; readonly modelType: unknown }
  | { readonly _tag: "IoError"; readonly message: string; readonly path: string };

/** A safetensors reader/writer error as a checkpoint error (an I/O failure keeps its path). */
export const fromSafetensorsError = (e: io.SafetensorsError): CheckpointError =>
  e._tag === "IoError"
    ? { _tag: "IoError", path: e.path, message: e.message }
    : { _tag: "InvalidSafetensors", message: e.message };

const show = (shape: readonly number[]): string => `[${shape.join(", ")}]`;

const list = (keys: readonly string[]): string =>
  keys.length <= 8 ? keys.join(", ") : `${keys.slice(0, 8).join(", ")} and ${keys.length - 8} more`;

/** Parameters the model needs that the checkpoint lacks. */
export const missingKeys = (keys: readonly string[], model: string): CheckpointError => ({
  _tag: "MissingKeys",
  keys,
  message: `checkpoint lacks ${keys.length} ${model} parameter(s): ${list(keys)}. Was it saved from a different architecture or config?`,
});

/** Tensors in the checkpoint that the model has no place for. */
export const unexpectedKeys = (keys: readonly string[], model: string): CheckpointError => ({
  _tag: "UnexpectedKeys",
  keys,
  message: `checkpoint has ${keys.length} tensor(s) ${model} does not use: ${list(keys)}. Check config.json matches the weights (n_layer, num_hidden_layers).`,
});

/** A tensor whose shape differs from the one the config implies. */
export const shapeMismatch = (
  key: string,
  expected: readonly number[],
  got: readonly number[],
): CheckpointError => ({
  _tag: "ShapeMismatch",
  key,
  expected,
  got,
  message: `${key}: the config expects shape ${show(expected)}, the checkpoint has ${show(got)}. Check vocab_size, widths and n_positions in config.json.`,
});

/** A tied copy (`lm_head.weight`) whose values differ from the tensor it is tied to. */
export const untiedWeights = (key: string, tiedTo: string, model: string): CheckpointError => ({
  _tag: "UntiedWeights",
  key,
  tiedTo,
  message: `${key} differs from ${tiedTo}: the checkpoint's output head is not tied to its embeddings, but ${model} here always ties them (tie_word_embeddings=True), so loading would drop the file's head and compute other logits. Only checkpoints with tied heads load.`,
});
