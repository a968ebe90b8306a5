/**
 * `--model-name-or-path` and `--tokenizer-name`, as run_clm / run_mlm take them: a local directory of
 * Hugging Face files, or a hub repo id downloaded into the cache Python's `huggingface_hub` uses
 * (`$HF_HOME/hub/models--org--name/snapshots/<commit>`; `HF_HUB_OFFLINE` reads only the cache). The
 * model is fine-tuned from its weights (HF-written: any prefix, a stored tied head, F16/BF16, shards);
 * the tokenizer is the model's unless `--tokenizer-name` names another.
 */
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { type Checkpoint, loadCheckpoint } from "@scratchgrad/nn";
import { formatTokenizerError, loadPretrainedTokenizer, type Tokenizer } from "@scratchgrad/tokenizer";
import * as E from "fp-ts/lib/Either.js";
import { EXIT_FAILURE, EXIT_USAGE, UserError } from "../cli/main.js";
import { userPath } from "../cli/paths.js";
import { resolvePretrained } from "../hub/download.js";
import type { HubEnvironment } from "../hub/environment.js";
import type { LmModel } from "./task.js";

/** Where a run's pretrained model and tokenizer are on disk (resolved before any work). */
export interface PretrainedSources {
  /** `--model-name-or-path` as given (the model card's `base_model`), and its directory. */
  readonly model?: { readonly name: string; readonly dir: string };
  /** The tokenizer's directory: `--tokenizer-name`'s, else the model's. */
  readonly tokenizerDir?: string;
}

const isDirectory = (path: string) =>
  stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );

const resolve = async (flag: string, name: string, revision: string, environment: HubEnvironment) => {
  // a directory where the user typed the command wins over a repo of the same name, as in HF
  const local = userPath(name);
  if (await isDirectory(local)) return local;
  const dir = await resolvePretrained(name, environment, { revision })();
  if (E.isLeft(dir))
    throw new UserError(
      `${flag} ${name}: ${dir.left.message}`,
      dir.left._tag === "InvalidRepoId" ? EXIT_USAGE : EXIT_FAILURE,
    );
  return dir.right;
};

/**
 * The directories of `--model-name-or-path` and `--tokenizer-name` (downloading hub ids), with the
 * model's `model_type` checked against the script's before any data is read.
 * @example await pretrainedSources({ modelNameOrPath: "gpt2", tokenizerName: "", modelRevision: "main" }, "gpt2", env)
 */
export const pretrainedSources = async (
  args: { readonly modelNameOrPath: string; readonly tokenizerName: string; readonly modelRevision: string },
  modelType: "gpt2" | "bert",
  environment: HubEnvironment,
): Promise<PretrainedSources> => {
  const model = args.modelNameOrPath
    ? {
        name: args.modelNameOrPath,
        dir: await resolve("--model-name-or-path", args.modelNameOrPath, args.modelRevision, environment),
      }
    : undefined;
  if (model) {
    const path = join(model.dir, "config.json");
    let found: unknown;
    try {
      found = (JSON.parse(await readFile(path, "utf8")) as { model_type?: unknown }).model_type;
    } catch (e) {
      throw new UserError(`--model-name-or-path ${model.name}: cannot read ${path}: ${(e as Error).message}`);
    }
    if (found !== modelType)
      throw new UserError(
        `--model-name-or-path ${model.name} is a ${String(found)} model; this script fine-tunes ${modelType} models${found === "bert" ? " (use train:bert)" : found === "gpt2" ? " (use train:gpt2)" : ""}`,
        EXIT_USAGE,
      );
  }
  const tokenizerDir = args.tokenizerName
    ? await resolve("--tokenizer-name", args.tokenizerName, "main", environment)
    : model?.dir;
  return { ...(model ? { model } : {}), ...(tokenizerDir ? { tokenizerDir } : {}) };
};

/** The pretrained tokenizer of a directory, as `AutoTokenizer.from_pretrained(dir)` builds it. */
export const loadSourceTokenizer = async (dir: string): Promise<Tokenizer> => {
  const loaded = await loadPretrainedTokenizer(dir)();
  if (E.isLeft(loaded))
    throw new UserError(
      `${formatTokenizerError(loaded.left)} (pass --tokenizer-name for a directory or repo that has one)`,
    );
  return loaded.right.tokenizer;
};

/**
 * The pretrained model and its weights, checked against the tokenizer (its ids must fit the model's
 * embeddings; HF's models may have more rows than the tokenizer has ids) and the block size.
 */
export const loadPretrainedModel = async (
  source: { readonly name: string; readonly dir: string },
  tokenizer: Tokenizer,
  blockSize: number,
): Promise<{ model: LmModel; params: unknown }> => {
  const loaded = await loadCheckpoint(source.dir)();
  if (E.isLeft(loaded)) throw new UserError(`--model-name-or-path ${source.name}: ${loaded.left.message}`);
  const ckpt: Checkpoint = loaded.right;
  const vocab = ckpt.config.vocab_size;
  if (tokenizer.vocabSize > vocab)
    throw new UserError(
      `the tokenizer has ${tokenizer.vocabSize} ids but ${source.name}'s embeddings have ${vocab} rows; use the model's own tokenizer (drop --tokenizer-name)`,
      EXIT_USAGE,
    );
  const positions = ckpt.modelType === "gpt2" ? ckpt.config.n_positions : ckpt.config.max_position_embeddings;
  if (blockSize > positions)
    throw new UserError(
      `--block-size ${blockSize} is longer than ${source.name}'s ${positions} positions; use at most ${positions}`,
      EXIT_USAGE,
    );
  if (ckpt.modelType === "gpt2") return { model: { kind: "gpt2", config: ckpt.config }, params: ckpt.params };
  if (tokenizer.maskTokenId === undefined)
    throw new UserError(
      `the tokenizer of ${source.name} has no [MASK] token, which masked-LM training needs`,
    );
  return {
    model: { kind: "bert", config: ckpt.config, maskTokenId: tokenizer.maskTokenId },
    params: ckpt.params,
  };
};
