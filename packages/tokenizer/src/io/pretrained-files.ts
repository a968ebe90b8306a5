/**
 * A tokenizer as a directory, the way transformers' `save_pretrained` leaves it: tokenizer.json,
 * tokenizer_config.json and special_tokens_map.json. `AutoTokenizer.from_pretrained(dir)` (Python, and
 * `@huggingface/transformers` in JavaScript) loads what `savePretrainedTokenizer` writes with the same
 * encodings; `loadPretrainedTokenizer` reads such a directory written by either side. This file holds
 * the part without a file system (a browser downloads these files, or picks them); ./pretrained.ts is Node's.
 */
import * as E from "fp-ts/lib/Either.js";
import { pipe } from "fp-ts/lib/function.js";
import type { TokenizerError } from "../errors.js";
import { type Tokenizer, tokenizerFromConfig } from "../tokenizer.js";
import {
  applyTokenizerSettings,
  type HfTokenizerConfigOptions,
  hfSpecialTokensMap,
  hfTokenizerConfig,
  type PretrainedTokenizerSettings,
  parseHfTokenizerConfig,
} from "./hf-tokenizer-config.js";
import { parseTokenizerConfig } from "./parse.js";
import { pythonJson } from "./python-json.js";

/** The file names transformers uses. */
export const TOKENIZER_FILE = "tokenizer.json";
export const TOKENIZER_CONFIG_FILE = "tokenizer_config.json";
export const SPECIAL_TOKENS_MAP_FILE = "special_tokens_map.json";

/**
 * The three files `save_pretrained` writes, by name, as text: tokenizer.json, tokenizer_config.json and
 * special_tokens_map.json.
 * @example
 * const files = pretrainedTokenizerFiles(tok, { modelMaxLength: 128 });
 * if (E.isRight(files)) download("tokenizer.json", new Blob([files.right.get("tokenizer.json")!]));
 */
export const pretrainedTokenizerFiles = (
  tokenizer: Tokenizer,
  options: HfTokenizerConfigOptions,
): E.Either<TokenizerError, ReadonlyMap<string, string>> =>
  E.tryCatch(
    () =>
      new Map([
        [TOKENIZER_FILE, tokenizer.toJson()],
        [TOKENIZER_CONFIG_FILE, pythonJson(hfTokenizerConfig(tokenizer, options))],
        [SPECIAL_TOKENS_MAP_FILE, pythonJson(hfSpecialTokensMap(tokenizer))],
      ]),
    (e): TokenizerError => ({
      _tag: "WriteFailed",
      path: TOKENIZER_CONFIG_FILE,
      message: (e as Error).message,
    }),
  );

/** A tokenizer directory, read: the tokenizer and what tokenizer_config.json said (if there was one). */
export interface PretrainedTokenizer {
  readonly tokenizer: Tokenizer;
  readonly settings: PretrainedTokenizerSettings | undefined;
}

/**
 * The tokenizer from the parsed JSON of tokenizer.json and, when present, tokenizer_config.json and
 * special_tokens_map.json, with the class settings applied as HF's fast class applies them.
 * @example
 * const loaded = pretrainedTokenizerFromJson(JSON.parse(await file.text()), undefined, undefined);
 */
export const pretrainedTokenizerFromJson = (
  tokenizerJson: unknown,
  tokenizerConfig: unknown,
  specialTokensMap: unknown,
): E.Either<TokenizerError, PretrainedTokenizer> =>
  pipe(
    parseTokenizerConfig(tokenizerJson),
    E.chain(
      (config): E.Either<TokenizerError, PretrainedTokenizer> =>
        tokenizerConfig === undefined
          ? E.right({ tokenizer: tokenizerFromConfig(config), settings: undefined })
          : pipe(
              parseHfTokenizerConfig(tokenizerConfig, specialTokensMap),
              E.map((settings) => ({
                tokenizer: tokenizerFromConfig(applyTokenizerSettings(config, settings)),
                settings,
              })),
            ),
    ),
  );
