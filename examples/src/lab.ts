/**
 * The lab end to end, as a composition: parse the flags once → decide how the run starts (fresh, or
 * resumed from a checkpoint whose flags it restores) → check the model config and the output
 * directory → data → exploration → tokenizer → blocks → model → the training loop with its callbacks
 * → perplexities → saved model. Every step is a function below; `runLab` only orders them.
 */
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import type { Dataset, TextRow } from "@scratchgrad/datasets";
import {
  blockAt,
  countWordsOfRows,
  formatWikitextError,
  loadWikitext,
  parseWikitextConfig,
  showRandomElements,
  tokenizeDataset,
  wikitextOptionsFromEnv,
} from "@scratchgrad/datasets";
import { random, randomArrays } from "@scratchgrad/tensor";
import { formatTokenizerError, loadTokenizer, type Tokenizer } from "@scratchgrad/tokenizer";
import * as E from "fp-ts/lib/Either.js";
import { type BackendChoice, setupBackend } from "./cli/backend.js";
import { type ConfigValue, parseConfigOverrides } from "./cli/config-overrides.js";
import { formatHelp } from "./cli/flags.js";
import {
  type CliMain,
  type CliOutput,
  EXIT_FAILURE,
  EXIT_USAGE,
  processOutput,
  reportErrors,
  UserError,
} from "./cli/main.js";
import { userPath } from "./cli/paths.js";
import { hubEnvironment } from "./hub/environment.js";
import { type HubTarget, hubTarget } from "./hub/trainer-push.js";
import { evaluateOnly } from "./lab-eval.js";
import { trainLab } from "./lab-training.js";
import {
  type LabArguments,
  type LabInvocation,
  parseLabArguments,
  type ScriptFlagSpecs,
} from "./train/lab-arguments.js";
import type { LabDefinition, PlannedRun, VocabIds } from "./train/lab-definition.js";
import { batchEncoder, firstBlocks, groupBlocks, type Objective, tokenCount } from "./train/lm-data.js";
import { prepareOutputDir, runStart } from "./train/output-dir.js";
import { loadSourceTokenizer, pretrainedSources } from "./train/pretrained.js";
import { readJsonObject } from "./train/run-files.js";
import { loadTextFiles } from "./train/text-files.js";
import { type TrainingData, totalStepsOf, warmupProblem } from "./train/training-args.js";

export { labFlags } from "./train/lab-arguments.js";
export {
  contextLength,
  type LabDefinition,
  type PlannedRun,
  type VocabIds,
} from "./train/lab-definition.js";

const parseOrThrow = <S extends ScriptFlagSpecs>(
  def: LabDefinition<S>,
  argv: readonly string[],
  origin = "",
): LabInvocation<S> => {
  const parsed = parseLabArguments(def.flags, argv, def.resolveDefaults);
  if (E.isLeft(parsed)) throw new UserError(`${origin}${parsed.left}`, EXIT_USAGE);
  const args = parsed.right.args;
  // paths as absolute, so a checkpoint's stored flags mean the same from any directory
  const absolute = {
    outputDir: userPath(args.outputDir),
    dataDir: args.dataDir ? userPath(args.dataDir) : "",
    trainFile: args.trainFile ? userPath(args.trainFile) : "",
    validationFile: args.validationFile ? userPath(args.validationFile) : "",
    loggingDir: args.loggingDir ? userPath(args.loggingDir) : "",
  };
  return { ...parsed.right, args: { ...args, ...absolute } };
};

/** The flags a checkpoint stores (its training_args.json `argv`), or none for an older checkpoint. */
const storedArgv = async (checkpoint: string): Promise<readonly string[]> => {
  const path = `${checkpoint}/training_args.json`;
  if (!(await stat(path).catch(() => undefined))) return [];
  const argv = (await readJsonObject(path)).argv;
  if (argv === undefined) return [];
  if (!Array.isArray(argv) || !argv.every((a) => typeof a === "string"))
    throw new UserError(`${path}: "argv" is not a list of strings; the checkpoint is damaged`);
  return argv;
};

/** Parses the flags, finds the checkpoint to resume (restoring its flags under the given ones), checks. */
const planRun = async <S extends ScriptFlagSpecs>(
  def: LabDefinition<S>,
  argv: readonly string[],
  first: LabInvocation<S>,
): Promise<PlannedRun<S>> => {
  const a = first.args;
  const resumeFrom =
    a.resumeFromCheckpoint === "latest" || a.resumeFromCheckpoint === ""
      ? a.resumeFromCheckpoint
      : userPath(a.resumeFromCheckpoint);
  // a fresh run's model config is checked before anything touches the disk
  const overrides = checkModelConfig(def, first);
  const start = await runStart(a.outputDir, resumeFrom, a.overwriteOutputDir);
  if (start.kind === "fresh") return { inv: first, start, overrides };
  const stored = await storedArgv(start.checkpoint);
  const inv = parseOrThrow(
    def,
    [...stored, ...argv],
    `${start.checkpoint}/training_args.json with the given flags: `,
  );
  return { inv, start, overrides: {} };
};

/** `--config-overrides` parsed, and the model config they give built once with placeholder token ids. */
const checkModelConfig = <S extends ScriptFlagSpecs>(
  def: LabDefinition<S>,
  { args, given }: LabInvocation<S>,
): Readonly<Record<string, ConfigValue>> => {
  if (args.modelNameOrPath) {
    if (given.has("configOverrides"))
      throw new UserError(
        "--config-overrides can't be used in combination with --model-name-or-path (the pretrained model's config.json is used as it is), as in run_clm",
        EXIT_USAGE,
      );
    return {};
  }
  const overrides = parseConfigOverrides(args.configOverrides, def.configDefaults, def.reservedConfigKeys);
  if (E.isLeft(overrides)) throw new UserError(overrides.left, EXIT_USAGE);
  const placeholder: VocabIds = {
    vocabSize: args.vocabSize,
    bosTokenId: 0,
    eosTokenId: 0,
    padTokenId: 0,
    maskTokenId: 1,
  };
  try {
    def.makeModel(args.model, placeholder, args.blockSize, overrides.right);
  } catch (e) {
    // a config the model refuses (n_embd not divisible by n_head, a dropout of 1, n_positions < block)
    const flag = args.configOverrides
      ? `--config-overrides ${args.configOverrides}`
      : `--model ${args.model}`;
    throw new UserError(`${flag}: ${(e as Error).message}`, EXIT_USAGE);
  }
  return overrides.right;
};

/** The train and validation rows: the user's files (`--train-file`) or WikiText-2. */
const loadSplits = async (args: LabArguments): Promise<Rows> => {
  if (args.trainFile) {
    const loaded = await loadTextFiles(args)();
    if (E.isLeft(loaded)) throw new UserError(loaded.left.message);
    return loaded.right;
  }
  if (args.validationFile)
    throw new UserError(
      "--validation-file needs --train-file (without it the data is WikiText-2)",
      EXIT_USAGE,
    );
  const config = parseWikitextConfig(args.datasetConfig);
  if (E.isLeft(config)) throw new UserError(config.left, EXIT_USAGE);
  const loaded = await loadWikitext(config.right, {
    ...wikitextOptionsFromEnv(process.env),
    ...(args.dataDir ? { dataDir: args.dataDir } : {}),
    splits: ["train", "validation"],
  })();
  if (E.isLeft(loaded)) throw new UserError(formatWikitextError(loaded.left));
  return loaded.right;
};

/** The train and validation rows, printed as the lab shows them. */
const loadRows = async (args: LabArguments): Promise<Rows> => {
  const { train, validation } = await loadSplits(args);
  const name = args.trainFile ? basename(args.trainFile) : args.datasetConfig;
  console.log(
    `Dataset ${name}: train ${train.numRows.toLocaleString("en-US")} rows, validation ${validation.numRows.toLocaleString("en-US")} rows. Random rows:`,
  );
  const key = random.foldIn(random.key(args.seed), 99);
  showRandomElements(train, Math.min(5, train.numRows), {
    randomInts: (n, max) => randomArrays.randint(key, n, 0, max),
  });
  return { train, validation };
};

interface Rows {
  readonly train: Dataset<TextRow>;
  readonly validation: Dataset<TextRow>;
}

/** The tokenizer: the resumed checkpoint's, a pretrained one, or one trained on the training texts. */
const obtainTokenizer = async <S extends ScriptFlagSpecs>(
  def: LabDefinition<S>,
  { inv, start }: PlannedRun<S>,
  rows: Rows,
  pretrainedDir: string | undefined,
): Promise<Tokenizer> => {
  const t0 = performance.now();
  let tokenizer: Tokenizer;
  if (start.kind === "fresh" && pretrainedDir) {
    tokenizer = await loadSourceTokenizer(pretrainedDir);
    console.log(`\nTokenizer: ${def.tokenizerDescription(tokenizer)} (pretrained, from ${pretrainedDir})`);
    return tokenizer;
  }
  if (start.kind === "resume") {
    const loaded = await loadTokenizer(`${start.checkpoint}/tokenizer.json`)();
    if (E.isLeft(loaded)) throw new UserError(formatTokenizerError(loaded.left));
    tokenizer = loaded.right;
  } else {
    try {
      tokenizer = def.trainTokenizer(rows.train.columns.text, inv.args, inv.given);
    } catch (e) {
      // the trainers refuse a vocabulary size they cannot honour with a RangeError
      if (e instanceof RangeError)
        throw new UserError(`--vocab-size ${inv.args.vocabSize}: ${e.message}`, EXIT_USAGE);
      throw e;
    }
  }
  const how =
    start.kind === "resume"
      ? "from the checkpoint"
      : `trained in ${((performance.now() - t0) / 1000).toFixed(1)} s`;
  console.log(`\nTokenizer: ${def.tokenizerDescription(tokenizer)} (${how})`);
  return tokenizer;
};

/** A split without one block: the data's fault, not a flag's (a cut keeps at least one block). */
const tooShort = (split: string, blocks: number, rows: number, args: LabArguments) => {
  if (blocks > 0) return;
  throw new UserError(
    `the ${split} split (${rows.toLocaleString("en-US")} rows) has not enough text for one block of ${args.blockSize} tokens; lower --block-size`,
    EXIT_FAILURE,
  );
};

/** Tokenize and group into blocks (HF's tokenize_function and group_texts), printing examples. */
const buildData = (
  args: LabArguments,
  objective: Objective,
  tokenizer: Tokenizer,
  rows: Rows,
): TrainingData => {
  const encodeBatch = batchEncoder(tokenizer);
  const t1 = performance.now();
  const tokenizedTrain = tokenizeDataset(encodeBatch)(rows.train);
  const tokenizedValid = tokenizeDataset(encodeBatch)(rows.validation);
  const example = rows.train.columns.text.findIndex((t) => t.trim().length > 0);
  if (example >= 0) {
    const ids = Array.from(tokenizedTrain.columns.input_ids[example]!);
    console.log(
      `Tokenized example (row ${example}): ${JSON.stringify(rows.train.columns.text[example]!.slice(0, 80))}…\n  input_ids: [${ids.slice(0, 24).join(", ")}${ids.length > 24 ? ", …" : ""}] (${ids.length} tokens)`,
    );
  }
  const allTrain = groupBlocks(tokenizedTrain, args.blockSize, objective);
  const allValidation = groupBlocks(tokenizedValid, args.blockSize, objective);
  tooShort("training", allTrain.numBlocks, rows.train.numRows, args);
  tooShort("validation", allValidation.numBlocks, rows.validation.numRows, args);
  // run_clm's max_train_samples / max_eval_samples select grouped blocks
  const train = firstBlocks(allTrain, args.maxTrainSamples);
  const validation = firstBlocks(allValidation, args.maxEvalSamples);
  const cut = (all: number, kept: number) => (kept < all ? ` of ${all.toLocaleString("en-US")}` : "");
  console.log(
    `Grouped into blocks of ${args.blockSize}: train ${train.numBlocks.toLocaleString("en-US")}${cut(allTrain.numBlocks, train.numBlocks)}, validation ${validation.numBlocks.toLocaleString("en-US")}${cut(allValidation.numBlocks, validation.numBlocks)} (${((performance.now() - t1) / 1000).toFixed(1)} s)`,
  );
  console.log(
    `A decoded block:\n  ${JSON.stringify(tokenizer.decode(Array.from(blockAt(train, 0).inputIds)))}`,
  );
  return {
    train,
    validation,
    validationTokens: tokenCount(tokenizedValid),
    validationWords: countWordsOfRows(rows.validation.columns.text),
  };
};

/** `--push-to-hub`'s repo and token, from the flags and the environment (HF_TOKEN, HF_ENDPOINT). */
const pushTarget = async (args: LabArguments): Promise<HubTarget> => {
  const target = await hubTarget(args, hubEnvironment(process.env))();
  if (E.isLeft(target))
    throw new UserError(
      target.left.message,
      target.left._tag === "MissingToken" || target.left._tag === "InvalidRepoId" ? EXIT_USAGE : EXIT_FAILURE,
    );
  return target.right;
};

/** Ctrl-C: the first asks for a checkpoint at the end of the step, a second quits at once. */
const installInterrupt = (): (() => boolean) => {
  let interrupted = false;
  process.on("SIGINT", () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write(
      "\nInterrupted: saving a checkpoint at the end of this step (Ctrl-C again to quit without saving)…\n",
    );
  });
  return () => interrupted;
};

/** The whole lab; returns the exit code. */
const lab = async <S extends ScriptFlagSpecs>(
  def: LabDefinition<S>,
  argv: readonly string[],
  output: CliOutput,
): Promise<number> => {
  const first = parseOrThrow(def, argv);
  if (first.help) {
    output.out(formatHelp(`pnpm --filter examples ${def.script} -- [options]`, def.title, def.flags));
    return 0;
  }
  // run_clm's --do_eval alone: evaluate a saved model, no training (neither flag: both stages)
  if (!first.args.doTrain) return evaluateOnly(first.args, first.given, output);
  const plan = await planRun(def, argv, first);
  const { args } = plan.inv;
  // before any work, as HF's Trainer sets up its repo at init: no token or an unknown one stops here
  const hub = args.pushToHub ? await pushTarget(args) : undefined;
  // a resumed run has its model and tokenizer in the checkpoint
  const sources =
    plan.start.kind === "fresh" && (args.modelNameOrPath || args.tokenizerName)
      ? await pretrainedSources(
          args,
          def.objective === "causal-lm" ? "gpt2" : "bert",
          hubEnvironment(process.env),
        )
      : {};
  await prepareOutputDir(args.outputDir, plan.start, args.overwriteOutputDir);
  const wall0 = performance.now();
  const interrupted = installInterrupt();
  const { backend, close } = await setupBackend(args.backend as BackendChoice, args.threads);
  try {
    if (plan.start.kind === "resume")
      console.log(
        plan.start.automatic
          ? `Checkpoint detected, resuming training at ${plan.start.checkpoint}. To train from scratch instead, add --overwrite-output-dir or change --output-dir.`
          : `Resuming from ${plan.start.checkpoint} with the flags it was trained with (flags given now win).`,
      );
    console.log(`${def.title}\n`);
    const rows = await loadRows(args);
    const tokenizer = await obtainTokenizer(def, plan, rows, sources.tokenizerDir);
    const data = buildData(args, def.objective, tokenizer, rows);
    const problem = warmupProblem(args, totalStepsOf(data.train.numBlocks, args));
    if (problem) throw new UserError(problem, EXIT_USAGE);
    return await trainLab({
      def,
      plan,
      tokenizer,
      data,
      backend: backend.name,
      wall0,
      interrupted,
      ...(hub ? { hub } : {}),
      ...(sources.model ? { pretrained: sources.model } : {}),
    });
  } finally {
    await close();
  }
};

/**
 * A trainer's entry point as a `CliMain`: bad flags and unusable files are one `error:` line on
 * `output.err` (exit 2 for usage, 1 for I/O); Ctrl-C returns 130 after saving a checkpoint.
 * @example const code = await labMain(gpt2Lab)(["--help"]);
 */
export const labMain =
  <S extends ScriptFlagSpecs>(def: LabDefinition<S>): CliMain =>
  (argv, output = processOutput) =>
    reportErrors(output, () => lab(def, argv, output));

/** Runs a trainer script with `argv` and exits with its code. */
export const runLab = async <S extends ScriptFlagSpecs>(
  def: LabDefinition<S>,
  argv: readonly string[],
): Promise<never> => process.exit(await labMain(def)(argv));
