/**
 * Reading a training run's output directory (Hugging Face layout): the model (config.json +
 * model.safetensors), tokenizer.json and training_args.json. Failures become `UserError`s whose
 * message names the file and the fix.
 */
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { type Checkpoint, loadCheckpoint } from "@scratchgrad/nn";
import { formatTokenizerError, loadTokenizer, type Tokenizer } from "@scratchgrad/tokenizer";
import * as E from "fp-ts/lib/Either.js";
import { EXIT_USAGE, UserError } from "./main.js";
import { userPath } from "./paths.js";

/** A saved model with its tokenizer. */
export interface SavedModel {
  readonly dir: string;
  readonly checkpoint: Checkpoint;
  readonly tokenizer: Tokenizer;
}

/** Checks that `--model-dir` was given and is a directory. */
export const checkModelDir = async (dir: string): Promise<void> => {
  if (dir === "")
    throw new UserError(
      "--model-dir is required (a directory written by train:gpt2 or train:bert)",
      EXIT_USAGE,
    );
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory())
    throw new UserError(`--model-dir ${dir}: no such directory; pass the --output-dir of a training run`);
};

/**
 * Loads `dir/config.json`, `dir/model.safetensors` and `dir/tokenizer.json`, checking that the
 * tokenizer fits the model's vocabulary.
 * @example const { checkpoint, tokenizer } = await loadSavedModel("output/gpt2-wikitext2");
 */
export const loadSavedModel = async (typedDir: string): Promise<SavedModel> => {
  const dir = userPath(typedDir);
  await checkModelDir(dir);
  const checkpoint = await loadCheckpoint(dir)();
  if (E.isLeft(checkpoint))
    throw new UserError(`cannot load the model in ${dir}: ${checkpoint.left.message}`);
  const tokenizer = await loadTokenizer(join(dir, "tokenizer.json"))();
  if (E.isLeft(tokenizer)) throw new UserError(formatTokenizerError(tokenizer.left));
  const c = checkpoint.right;
  const vocab = c.config.vocab_size;
  if (tokenizer.right.vocabSize > vocab)
    throw new UserError(
      `${join(dir, "tokenizer.json")} has ${tokenizer.right.vocabSize} ids but the model's vocab_size is ${vocab}; the tokenizer belongs to another model`,
    );
  return { dir, checkpoint: c, tokenizer: tokenizer.right };
};

/**
 * `dir/training_args.json` (snake_case flags of the run), or `{}` when the file is absent, so models
 * trained elsewhere still load.
 */
export const readTrainingArgs = async (typedDir: string): Promise<Readonly<Record<string, unknown>>> => {
  const dir = userPath(typedDir);
  const path = join(dir, "training_args.json");
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return {};
  }
  try {
    const json: unknown = JSON.parse(text);
    if (json === null || typeof json !== "object" || Array.isArray(json)) throw new Error("not an object");
    return json as Record<string, unknown>;
  } catch (e) {
    throw new UserError(`${path} is not a JSON object (${(e as Error).message}); fix or delete it`);
  }
};
