/**
 * The rows of WikiText files already in memory (text or Hugging Face parquet), with Hugging Face's row
 * semantics. Runs anywhere; reading them from disk is ./files.ts (Node).
 */
import * as E from "fp-ts/lib/Either.js";
import { parquetReadObjects } from "hyparquet";
import { wikitextRows } from "../text/lines.js";
import type { WikitextError } from "./errors.js";

// fatal: invalid UTF-8 is an error, as in Python's open(encoding="utf-8"); ignoreBOM: a leading U+FEFF
// stays in the first row, as Python's "utf-8" (not "utf-8-sig") keeps it.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A row of a WikiText split: one line of the file, as Hugging Face's `datasets` gives it. */
export type TextRow = { readonly text: string };

const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Rows of an original WikiText file (`wiki.*.raw` / `wiki.*.tokens`) held in memory, with Hugging
 * Face's row semantics; `path` names the file in errors.
 *
 * @example
 * textFileRows(new TextEncoder().encode(" = A = \n"), "wiki.valid.raw"); // right([" = A = \n"])
 */
export const textFileRows = (bytes: Uint8Array, path: string): E.Either<WikitextError, string[]> => {
  try {
    return E.right(wikitextRows(utf8.decode(bytes)));
  } catch (e) {
    return E.left({ _tag: "ReadFailed", path, reason: `not valid UTF-8 (${reason(e)})` });
  }
};

/**
 * The `text` column of a Hugging Face parquet file already in memory.
 *
 * @example
 * parquetTextRows(await readFile("validation-00000-of-00001.parquet"), "validation.parquet");
 */
export const parquetTextRows = async (
  bytes: Uint8Array,
  path: string,
): Promise<E.Either<WikitextError, string[]>> => {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let rows: Record<string, unknown>[];
  try {
    rows = await parquetReadObjects({ file: buffer, columns: ["text"] });
  } catch (e) {
    return E.left({ _tag: "BadParquet", path, reason: reason(e) });
  }
  const texts: string[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const text = rows[i]!.text;
    if (typeof text !== "string") {
      return E.left({
        _tag: "BadParquet",
        path,
        reason: `row ${i} has no string "text" column (got ${typeof text})`,
      });
    }
    texts[i] = text;
  }
  return E.right(texts);
};
