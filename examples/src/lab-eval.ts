/**
 * `--do-eval` without `--do-train`: a trainer command that only evaluates, as run_clm does with
 * `--do_eval` alone. It is the `eval` script's path (same tokenization, blocks, evaluation and key),
 * given the trainer's flags: the model is `--model-name-or-path`, else the `--output-dir` of a run.
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { type CliOutput, EXIT_USAGE, UserError } from "./cli/main.js";
import { userPath } from "./cli/paths.js";
import { main as evalMain } from "./eval.js";
import type { LabArguments } from "./train/lab-arguments.js";

/** The trainer flags `eval` also takes (kebab-case), passed on when given so the run's own fill the rest. */
const SHARED_WITH_EVAL = [
  ["data-dir", "dataDir"],
  ["block-size", "blockSize"],
  ["seed", "seed"],
  ["per-device-eval-batch-size", "perDeviceEvalBatchSize"],
  ["max-eval-samples", "maxEvalSamples"],
  ["mlm-probability", "mlmProbability"],
  ["backend", "backend"],
  ["threads", "threads"],
] as const;

/** Flags that mean training, or data `eval` cannot read: refused rather than ignored. */
const TRAINING_ONLY = [
  ["trainFile", "--train-file"],
  ["validationFile", "--validation-file"],
  ["pushToHub", "--push-to-hub"],
  ["resumeFromCheckpoint", "--resume-from-checkpoint"],
  ["tokenizerName", "--tokenizer-name"],
] as const;

/**
 * `eval`'s argv for an evaluation-only trainer command, or a usage error naming the flag it cannot honour.
 * @example evalArgv(args, new Set(["doEval", "seed"])) // ["--model-dir", "/abs/output/gpt2-wikitext2", "--seed", "7"]
 */
export const evalArgv = (
  args: LabArguments & Readonly<Record<string, unknown>>,
  given: ReadonlySet<string>,
): string[] => {
  const refused = TRAINING_ONLY.find(([key]) => given.has(key) && args[key] !== "" && args[key] !== false);
  if (refused)
    throw new UserError(
      `${refused[1]} needs --do-train: --do-eval alone scores a saved model on WikiText-2's validation split, as the eval script`,
      EXIT_USAGE,
    );
  const modelDir = args.modelNameOrPath ? userPath(args.modelNameOrPath) : args.outputDir;
  const passed = SHARED_WITH_EVAL.flatMap(([flag, key]) =>
    given.has(key) ? [`--${flag}`, String(args[key])] : [],
  );
  // --dataset-config-name / --dataset-name resolved onto datasetConfig
  const config =
    given.has("datasetConfig") || given.has("datasetConfigName")
      ? ["--dataset-config", args.datasetConfig]
      : [];
  return ["--model-dir", modelDir, ...config, ...passed];
};

/** Evaluates the saved model the flags name; returns the exit code. */
export const evaluateOnly = async (
  args: LabArguments & Readonly<Record<string, unknown>>,
  given: ReadonlySet<string>,
  output: CliOutput,
): Promise<number> => {
  const argv = evalArgv(args, given);
  const dir = argv[1]!;
  // checked before eval starts a backend: a directory without a model is a usage error
  if (!(await stat(join(dir, "config.json")).catch(() => undefined))?.isFile())
    throw new UserError(
      `--do-eval without --do-train evaluates a saved model, and ${dir} holds none (no config.json); pass --model-name-or-path (a local directory written by train:gpt2 or train:bert) or that run's --output-dir, or add --do-train`,
      EXIT_USAGE,
    );
  return evalMain(argv, output);
};
