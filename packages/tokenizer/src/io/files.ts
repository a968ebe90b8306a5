import { readFile } from "node:fs/promises";
import { writeFileAtomically } from "@scratchgrad/tensor/atomic-file";
import { pipe } from "fp-ts/lib/function.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import type { TokenizerError } from "../errors.js";
import type { Tokenizer } from "../tokenizer.js";
import { parseTokenizerJson } from "./parse.js";

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Reads a Hugging Face tokenizer.json file.
 *
 * @example
 * const result = await loadTokenizer("runs/bpe/tokenizer.json")();
 * if (E.isRight(result)) result.right.encode("Hello");
 */
export const loadTokenizer = (path: string): TE.TaskEither<TokenizerError, Tokenizer> =>
  pipe(
    TE.tryCatch(
      () => readFile(path, "utf8"),
      (e): TokenizerError => ({ _tag: "ReadFailed", path, message: message(e) }),
    ),
    TE.chainEitherK(parseTokenizerJson),
  );

/**
 * Writes `text` to `path` (creating its folder), atomically: the project's one atomic writer
 * (`@scratchgrad/tensor/atomic-file`) puts it in a temporary file beside it, which is then renamed,
 * so a reader never sees half a file.
 *
 * @example
 * await writeTextAtomically("runs/bpe/tokenizer_config.json", "{}\n")();
 */
export const writeTextAtomically = (path: string, text: string): TE.TaskEither<TokenizerError, void> =>
  TE.tryCatch(
    () => writeFileAtomically(path, text, { createDirectory: true }),
    (e): TokenizerError => ({ _tag: "WriteFailed", path, message: message(e) }),
  );

/**
 * Writes `tokenizer` as tokenizer.json at `path` (creating its folder), atomically.
 *
 * @example
 * await saveTokenizer(tok, "runs/bpe/tokenizer.json")();
 */
export const saveTokenizer = (tokenizer: Tokenizer, path: string): TE.TaskEither<TokenizerError, void> =>
  writeTextAtomically(path, tokenizer.toJson());
