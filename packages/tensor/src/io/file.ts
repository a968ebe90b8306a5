/**
 * safetensors files on disk, as TaskEithers: reading is one `readFile` plus `parseSafetensors`;
 * writing streams the chunks through `writeFileAtomically` (a synced temporary file renamed over the
 * target), so a crash mid-write never leaves a truncated checkpoint behind.
 */
import { readFile } from "node:fs/promises";
import * as E from "fp-ts/lib/Either.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import { writeFileAtomically } from "./atomic-file.js";
import type { RawTensorInput } from "./dtype.js";
import type { SafetensorsError } from "./errors.js";
import { type ParsedSafetensors, parseSafetensors } from "./parse.js";
import { prepareSafetensors } from "./serialize.js";

const ioError = (path: string, action: string, e: unknown): SafetensorsError => ({
  _tag: "IoError",
  path,
  message: `could not ${action} ${path}: ${e instanceof Error ? e.message : String(e)}`,
});

/**
 * Reads and parses a safetensors file. Parse errors get the path prefixed to their message.
 *
 * @example
 * const result = await readSafetensorsFile("gpt2/model.safetensors")();
 */
export const readSafetensorsFile =
  (path: string): TE.TaskEither<SafetensorsError, ParsedSafetensors> =>
  async () => {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (e) {
      return E.left(ioError(path, "read", e));
    }
    const parsed = parseSafetensors(bytes);
    return E.isLeft(parsed) ? E.left({ ...parsed.left, message: `${path}: ${parsed.left.message}` }) : parsed;
  };

/**
 * Writes tensors (and optional string metadata) to `path` atomically: a temp file in the same
 * directory is written, fsynced and renamed over `path`; on failure the temp file is removed.
 *
 * @example
 * await writeSafetensorsFile("ckpt/model.safetensors", tensors, { step: "1000" })();
 */
export const writeSafetensorsFile =
  (
    path: string,
    tensors: Readonly<Record<string, RawTensorInput>>,
    metadata?: Readonly<Record<string, string>>,
  ): TE.TaskEither<SafetensorsError, void> =>
  async () => {
    const layout = prepareSafetensors(tensors, metadata);
    if (E.isLeft(layout)) return layout;
    try {
      await writeFileAtomically(path, layout.right.chunks);
      return E.right(undefined);
    } catch (e) {
      return E.left(ioError(path, "write", e));
    }
  };
