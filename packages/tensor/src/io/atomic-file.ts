/**
 * The one atomic file writer of the project (safetensors files, optimizer states, tokenizer files,
 * downloaded datasets, run folders' files). Node only; imports nothing else from this package, so other
 * packages load it through `@scratchgrad/tensor/atomic-file` without loading any kernel.
 */
import { randomUUID } from "node:crypto";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** What `writeFileAtomically` writes: text (UTF-8), bytes, or byte chunks written in order. */
export type FileContents = string | Uint8Array | readonly Uint8Array[];

export interface WriteAtomicallyOptions {
  /** Create the file's folder (and its parents) first. Default false: a missing folder is an error. */
  readonly createDirectory?: boolean;
}

/**
 * Writes `contents` to `path` so that a reader, or a crash, never sees half a file: the bytes go to a
 * fresh temporary file beside `path` (`.<name>.<uuid>.tmp`, opened exclusively), which is fsynced,
 * closed and renamed over `path`. On any failure the temporary file is removed and the error is
 * rethrown, for the caller to turn into its own error type.
 *
 * @example
 * await writeFileAtomically("runs/bpe/tokenizer.json", json, { createDirectory: true });
 */
export const writeFileAtomically = async (
  path: string,
  contents: FileContents,
  options: WriteAtomicallyOptions = {},
): Promise<void> => {
  if (options.createDirectory) await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${randomUUID()}.tmp`);
  const chunks =
    typeof contents === "string"
      ? [new TextEncoder().encode(contents)]
      : contents instanceof Uint8Array
        ? [contents]
        : contents;
  try {
    const handle = await open(temp, "wx");
    try {
      for (const chunk of chunks) {
        let written = 0;
        while (written < chunk.length) {
          const { bytesWritten } = await handle.write(chunk, written, chunk.length - written);
          written += bytesWritten;
        }
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw e;
  }
};
