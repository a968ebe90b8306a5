/**
 * Checkpoints as Blobs, for a browser (or any place without a file system): `checkpointBlobs` gives the
 * files `save_pretrained` writes, ready to download; `loadCheckpointBlobs` reads them back from `File`s a
 * user picked or `fetch` responses. The bytes are those `saveCheckpoint` writes to disk.
 */
import { io } from "@scratchgrad/tensor";
import * as E from "fp-ts/lib/Either.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import {
  type Checkpoint,
  CONFIG_FILE,
  checkpointFromParts,
  checkpointTensors,
  checkpointTextFiles,
  WEIGHTS_FILE,
} from "./checkpoint.js";
import { type CheckpointError, fromSafetensorsError } from "./errors.js";
import { fromRawTensors } from "./state-dict.js";

/**
 * The checkpoint's files by name (`config.json`, `model.safetensors`, for GPT-2 `generation_config.json`).
 * @example
 * const files = checkpointBlobs({ modelType: "gpt2", config, params });
 * if (E.isRight(files)) for (const [name, blob] of files.right) download(name, blob);
 */
export const checkpointBlobs = (
  checkpoint: Checkpoint,
): E.Either<CheckpointError, ReadonlyMap<string, Blob>> => {
  const { tensors, metadata } = checkpointTensors(checkpoint);
  const weights = io.safetensorsBlob(tensors, metadata);
  if (E.isLeft(weights)) return E.left(fromSafetensorsError(weights.left));
  const files = new Map<string, Blob>();
  for (const [name, text] of checkpointTextFiles(checkpoint))
    files.set(name, new Blob([text], { type: "application/json" }));
  files.set(WEIGHTS_FILE, weights.right);
  return E.right(files);
};

/**
 * Reads a checkpoint from its files by name: `config.json` and a single `model.safetensors` (from
 * `checkpointBlobs`, HF's `save_pretrained`, or the hub). Sharded weights are read by `loadCheckpoint`.
 * @example
 * const byName = new Map([...input.files].map((f) => [f.name, f]));
 * const ckpt = await loadCheckpointBlobs(byName)();
 */
export const loadCheckpointBlobs =
  (files: ReadonlyMap<string, Blob>): TE.TaskEither<CheckpointError, Checkpoint> =>
  async () => {
    const config = files.get(CONFIG_FILE);
    const weights = files.get(WEIGHTS_FILE);
    const missing = [CONFIG_FILE, WEIGHTS_FILE].filter((name) => !files.has(name));
    if (config === undefined || weights === undefined)
      return E.left({
        _tag: "IoError",
        path: missing.join(", "),
        message: `a checkpoint needs ${CONFIG_FILE} and ${WEIGHTS_FILE}; missing ${missing.join(" and ")}`,
      });
    let json: unknown;
    try {
      json = JSON.parse(await config.text());
    } catch (e) {
      return E.left({
        _tag: "InvalidConfig",
        message: `${CONFIG_FILE}: ${e instanceof Error ? e.message : String(e)}`,
      });
    }
    const parsed = await io.readSafetensorsBlob(weights, WEIGHTS_FILE)();
    if (E.isLeft(parsed)) return E.left(fromSafetensorsError(parsed.left));
    const tensors = fromRawTensors(parsed.right.tensors);
    return E.isLeft(tensors) ? tensors : checkpointFromParts(json, tensors.right);
  };
