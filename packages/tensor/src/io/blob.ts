/**
 * safetensors without a file system (a browser, a worker): parse what a file picker, a drag-and-drop or
 * a `fetch` gives (`Blob`/`File`, `ArrayBuffer`, bytes), and serialise to a `Blob` to download or post.
 * The same bytes as the file writer: a Blob is assembled from the very chunks `prepareSafetensors` lays out.
 */
import * as E from "fp-ts/lib/Either.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import type { RawTensorInput } from "./dtype.js";
import type { SafetensorsError } from "./errors.js";
import { type ParsedSafetensors, parseSafetensors } from "./parse.js";
import { prepareSafetensors } from "./serialize.js";

/** What `readSafetensorsBlob` reads: a `Blob`/`File`, an `ArrayBuffer`, or bytes. */
export type SafetensorsSource = Blob | ArrayBuffer | Uint8Array;

/**
 * Parses a safetensors file held in memory or in a `Blob` (a `File` from `<input type="file">`, a
 * `fetch` response's `blob()`). `name` prefixes error messages (a File's own name is used when given one).
 *
 * @example
 * const parsed = await readSafetensorsBlob(input.files[0])(); // Right({ tensors, metadata })
 */
export const readSafetensorsBlob =
  (source: SafetensorsSource, name?: string): TE.TaskEither<SafetensorsError, ParsedSafetensors> =>
  async () => {
    const label = name ?? (source as { name?: unknown }).name ?? "safetensors";
    let bytes: Uint8Array;
    try {
      bytes =
        source instanceof Uint8Array
          ? source
          : new Uint8Array(source instanceof ArrayBuffer ? source : await source.arrayBuffer());
    } catch (e) {
      return E.left({
        _tag: "IoError",
        path: String(label),
        message: `could not read ${String(label)}: ${e instanceof Error ? e.message : String(e)}`,
      });
    }
    const parsed = parseSafetensors(bytes);
    return E.isLeft(parsed)
      ? E.left({ ...parsed.left, message: `${String(label)}: ${parsed.left.message}` })
      : parsed;
  };

/**
 * Serialises tensors (and optional string metadata) to a `Blob` of type `application/octet-stream`,
 * byte-identical to what `writeSafetensorsFile` writes; hand it to `URL.createObjectURL` to download.
 *
 * @example
 * const blob = safetensorsBlob({ "wte.weight": tensorToRaw(w) }, { format: "pt" }); // Right(Blob)
 */
export const safetensorsBlob = (
  tensors: Readonly<Record<string, RawTensorInput>>,
  metadata?: Readonly<Record<string, string>>,
): E.Either<SafetensorsError, Blob> =>
  E.map(
    (layout: { chunks: readonly Uint8Array[] }) =>
      new Blob(layout.chunks as Uint8Array<ArrayBuffer>[], { type: "application/octet-stream" }),
  )(prepareSafetensors(tensors, metadata));
