/**
 * A tokenizer as a directory, the way transformers' `save_pretrained` leaves it: tokenizer.json,
 * tokenizer_config.json and special_tokens_map.json. `AutoTokenizer.from_pretrained(dir)` (Python, and
 * `@huggingface/transformers` in JavaScript) loads what `savePretrainedTokenizer` writes with the same
 * encodings; `loadPretrainedTokenizer` reads such a directory written by either side.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import * as E from "fp-ts/lib/Either.js";
import { pipe } from "fp-ts/lib/function.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import type { TokenizerError } from "../errors.js";
import type { Tokenizer } from "../tokenizer.js";
import { writeTextAtomically } from "./files.js";
import type { HfTokenizerConfigOptions } from "./hf-tokenizer-config.js";
import {
  type PretrainedTokenizer,
  pretrainedTokenizerFiles,
  pretrainedTokenizerFromJson,
  SPECIAL_TOKENS_MAP_FILE,
  TOKENIZER_CONFIG_FILE,
  TOKENIZER_FILE,
} from "./pretrained-files.js";

/**
 * Writes `dir/tokenizer.json`, `dir/tokenizer_config.json` and `dir/special_tokens_map.json`, each
 * atomically; returns the paths written.
 * @example await savePretrainedTokenizer(tok, "output/bert-wikitext2", { modelMaxLength: 128 })();
 */
export const savePretrainedTokenizer = (
  tokenizer: Tokenizer,
  dir: string,
  options: HfTokenizerConfigOptions,
): TE.TaskEither<TokenizerError, readonly string[]> =>
  pipe(
    TE.fromEither(pretrainedTokenizerFiles(tokenizer, options)),
    TE.mapLeft((e): TokenizerError => (e._tag === "WriteFailed" ? { ...e, path: join(dir, e.path) } : e)),
    TE.chain((files) =>
      pipe(
        [...files].map(([name, text]) => writeTextAtomically(join(dir, name), text)),
        TE.sequenceSeqArray,
        TE.map(() => [...files.keys()].map((name) => join(dir, name))),
      ),
    ),
  );

/** The file's parsed JSON, `undefined` when it does not exist. */
const readOptionalJson =
  (path: string): TE.TaskEither<TokenizerError, unknown> =>
  async () => {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return E.right(undefined);
      return E.left({ _tag: "ReadFailed", path, message: (e as Error).message });
    }
    try {
      return E.right(JSON.parse(text));
    } catch (e) {
      return E.left({ _tag: "InvalidJson", message: `${path}: ${(e as Error).message}` });
    }
  };

/**
 * Reads a tokenizer directory as `AutoTokenizer.from_pretrained(dir)` does: tokenizer.json (required),
 * then tokenizer_config.json and special_tokens_map.json when present, whose class settings are
 * applied as HF's fast class applies them — so a BERT directory whose tokenizer_config.json lacks
 * `do_lower_case` lowercases here too, exactly as it would in transformers.
 * @example
 * const loaded = await loadPretrainedTokenizer("output/bert-wikitext2")();
 * if (E.isRight(loaded)) loaded.right.tokenizer.encode("Hello");
 */
export const loadPretrainedTokenizer = (dir: string): TE.TaskEither<TokenizerError, PretrainedTokenizer> =>
  pipe(
    TE.Do,
    TE.bind("json", () => readOptionalJson(join(dir, TOKENIZER_FILE))),
    TE.bind("tokenizerConfig", () => readOptionalJson(join(dir, TOKENIZER_CONFIG_FILE))),
    TE.bind("specialTokensMap", () => readOptionalJson(join(dir, SPECIAL_TOKENS_MAP_FILE))),
    TE.chainEitherK(({ json, tokenizerConfig, specialTokensMap }) =>
      json === undefined
        ? E.left<TokenizerError>({
            _tag: "ReadFailed",
            path: join(dir, TOKENIZER_FILE),
            message: `no ${TOKENIZER_FILE} in ${dir}; only fast (tokenizer.json) tokenizers load here, not vocab.txt / merges.txt alone`,
          })
        : pretrainedTokenizerFromJson(json, tokenizerConfig, specialTokensMap),
    ),
  );
