/**
 * `pnpm --filter examples eval -- --model-dir output/gpt2-wikitext2 [--split test]`: scores a saved
 * model on the WikiText-2 validation split (or the test split, the number papers report) exactly as the
 * trainer scores validation — same tokenization and group_texts blocks,
 * the same `evaluate` and the same evaluation key (so BERT's masks match too) — and prints the loss
 * and perplexities. Unset flags take the run's values from training_args.json.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  formatWikitextError,
  loadWikitext,
  parseSplitName,
  parseWikitextConfig,
  wikitextOptionsFromEnv,
} from "@scratchgrad/datasets";
import { random } from "@scratchgrad/tensor";
import * as E from "fp-ts/lib/Either.js";
import { type BackendChoice, setupBackend } from "./cli/backend.js";
import { BACKEND_FLAGS } from "./cli/backend-choices.js";
import { type FlagSpecs, formatHelp } from "./cli/flags.js";
import {
  type CliOutput,
  EXIT_USAGE,
  parseCliFlags,
  processOutput,
  reportErrors,
  runIfEntryPoint,
  UserError,
} from "./cli/main.js";
import { loadSavedModel, readTrainingArgs, type SavedModel } from "./cli/model-dir.js";
import { userPath } from "./cli/paths.js";
import { lmTaskOf } from "./tasks/lm-task.js";
import { type Objective, validationData } from "./train/lm-data.js";
import type { LmTask } from "./train/task.js";
import { type EvalResult, evaluate, type TrainingData } from "./train/trainer.js";

const FROM_RUN = "from training_args.json, else";

export const evalFlags = {
  "model-dir": {
    type: "string",
    default: "",
    help: "Output directory of a train:gpt2 or train:bert run (required)",
  },
  "data-dir": {
    type: "string",
    default: "",
    help: `Directory holding the WikiText-2 files (${FROM_RUN} $WIKITEXT_DIR, the cache, the hub)`,
  },
  "dataset-config": {
    type: "string",
    default: "wikitext-2-raw-v1",
    choices: ["wikitext-2-raw-v1", "wikitext-2-v1"],
    help: `WikiText-2 configuration (${FROM_RUN})`,
  },
  split: {
    type: "string",
    default: "validation",
    choices: ["validation", "test"],
    help: "Split to score: validation (what the trainer reports) or test (what papers report)",
  },
  "block-size": { type: "int", default: 128, positive: true, help: `Tokens per block (${FROM_RUN})` },
  seed: { type: "int", default: 42, help: `Seed; the eval key is split(key(seed), 3)[2] (${FROM_RUN})` },
  "per-device-eval-batch-size": {
    type: "int",
    default: 8,
    positive: true,
    help: `Blocks per evaluation step (${FROM_RUN})`,
  },
  "max-eval-samples": {
    type: "int",
    default: 0,
    min: 0,
    help: `Use only the first N blocks of the split, 0: all (${FROM_RUN})`,
  },
  "mlm-probability": {
    type: "float",
    default: 0.15,
    positive: true,
    below: 1,
    help: `Share of tokens a BERT's masks cover (${FROM_RUN})`,
  },
  ...BACKEND_FLAGS,
} as const satisfies FlagSpecs;

const USAGE = "pnpm --filter examples eval -- --model-dir DIR [options]";

/** What evaluation needs, after flags and training_args.json are merged. */
export interface EvalSettings {
  readonly dataDir: string;
  readonly datasetConfig: string;
  readonly blockSize: number;
  readonly seed: number;
  readonly perDeviceEvalBatchSize: number;
  readonly maxEvalSamples: number;
  readonly mlmProbability: number;
}

type EvalFlagValues = EvalSettings & Record<string, unknown>;

/**
 * Flag values where given, else the run's (snake_case keys of training_args.json), else the flag
 * defaults; a run value of the wrong type is an error naming the key.
 */
export const mergeSettings = (
  flags: EvalFlagValues,
  given: ReadonlySet<string>,
  trainingArgs: Readonly<Record<string, unknown>>,
): E.Either<string, EvalSettings> => {
  const pick = <K extends keyof EvalSettings>(key: K, snake: string): E.Either<string, EvalSettings[K]> => {
    if (given.has(key) || trainingArgs[snake] === undefined) return E.right(flags[key]);
    const v = trainingArgs[snake];
    if (typeof v !== typeof flags[key])
      return E.left(
        `training_args.json: ${snake} should be a ${typeof flags[key]}, got ${JSON.stringify(v)}`,
      );
    return E.right(v as EvalSettings[K]);
  };
  const entries = [
    ["dataDir", "data_dir"],
    ["datasetConfig", "dataset_config"],
    ["blockSize", "block_size"],
    ["seed", "seed"],
    ["perDeviceEvalBatchSize", "per_device_eval_batch_size"],
    ["maxEvalSamples", "max_eval_samples"],
    ["mlmProbability", "mlm_probability"],
  ] as const;
  const out: Record<string, unknown> = {};
  for (const [key, snake] of entries) {
    const v = pick(key, snake);
    if (E.isLeft(v)) return v;
    out[key] = v.right;
  }
  return E.right(out as unknown as EvalSettings);
};

/** The trainer's task for a saved model (causal LM for GPT-2, masked LM for BERT). */
export const taskOf = (
  saved: SavedModel,
  mlmProbability?: number,
): { task: LmTask<unknown>; objective: Objective } => {
  const c = saved.checkpoint;
  if (c.modelType === "gpt2")
    return { task: lmTaskOf({ kind: "gpt2", config: c.config }), objective: "causal-lm" };
  const mask = saved.tokenizer.maskTokenId;
  if (mask === undefined)
    throw new UserError(`${saved.dir}/tokenizer.json has no [MASK] token; a BERT needs one`);
  return {
    task: lmTaskOf({ kind: "bert", config: c.config, maskTokenId: mask, mlmProbability }),
    objective: "masked-lm",
  };
};

/** How many positions the saved model has (GPT-2's n_positions, BERT's max_position_embeddings). */
const positionsOf = ({ checkpoint: c }: SavedModel): number =>
  c.modelType === "gpt2" ? c.config.n_positions : c.config.max_position_embeddings;

/** The eval_loss the training run wrote to eval_results.json, if any. */
const readRecordedLoss = async (dir: string): Promise<number | undefined> => {
  try {
    const json = JSON.parse(await readFile(join(dir, "eval_results.json"), "utf8")) as {
      eval_loss?: unknown;
    };
    return typeof json.eval_loss === "number" ? json.eval_loss : undefined;
  } catch {
    return undefined;
  }
};

/** The trainer's evaluation key: the third of `split(key(seed), 3)` (data, step, eval). */
export const evalKeyOf = (seed: number): random.Key => random.split(random.key(seed), 3)[2]!;

/**
 * Parses the flags, loads the model and the validation split, evaluates and prints the results.
 * Returns the exit code; `onResult` sees the numbers (for tests).
 * @example await main(["--model-dir", "output/gpt2-wikitext2"]);
 */
export const main = async (
  argv: readonly string[],
  output: CliOutput = processOutput,
  onResult?: (result: EvalResult) => void,
): Promise<number> =>
  reportErrors(output, async () => {
    const { values: f, given, help } = parseCliFlags(evalFlags, argv);
    if (help) {
      output.out(
        formatHelp(
          USAGE,
          "Re-evaluates a saved model on a WikiText-2 split (validation or test).",
          evalFlags,
        ),
      );
      return 0;
    }
    if (f.modelDir === "") throw new UserError("--model-dir is required (see --help)", EXIT_USAGE);
    const merged = mergeSettings(f, given, await readTrainingArgs(f.modelDir));
    if (E.isLeft(merged)) throw new UserError(merged.left);
    const s = merged.right;
    const config = parseWikitextConfig(s.datasetConfig);
    if (E.isLeft(config))
      throw new UserError(String((config.left as { message?: string }).message ?? config.left));
    const split = parseSplitName(f.split);
    if (E.isLeft(split)) throw new UserError(`--split: ${split.left}`, EXIT_USAGE);
    const { backend, close } = await setupBackend(f.backend as BackendChoice, f.threads);
    try {
      const saved = await loadSavedModel(f.modelDir);
      const positions = positionsOf(saved);
      if (s.blockSize > positions)
        throw new UserError(
          `--block-size ${s.blockSize} is longer than the model's ${positions} positions (config.json); use at most ${positions}`,
          EXIT_USAGE,
        );
      const { task, objective } = taskOf(saved, s.mlmProbability);
      const loaded = await loadWikitext(config.right, {
        ...wikitextOptionsFromEnv(process.env),
        ...(s.dataDir ? { dataDir: userPath(s.dataDir) } : {}),
        splits: [split.right],
      })();
      if (E.isLeft(loaded)) throw new UserError(formatWikitextError(loaded.left));
      // validationData tokenizes and groups any split the way the trainer does its validation split
      const rows = loaded.right[split.right];
      const valid = validationData(rows, saved.tokenizer, s.blockSize, objective, s.maxEvalSamples);
      if (valid.validation.numBlocks === 0)
        throw new UserError(
          `not enough ${split.right} text for one block of ${s.blockSize} tokens; lower --block-size`,
        );
      // evaluate reads only the validation fields; train is required by the type, not used
      const data: TrainingData = { ...valid, train: valid.validation };
      output.err(
        `Evaluating ${saved.checkpoint.modelType === "gpt2" ? "GPT-2" : "BERT"} from ${f.modelDir} on ${s.datasetConfig} ${split.right}: ${rows.numRows.toLocaleString("en-US")} rows, ${valid.validation.numBlocks} blocks of ${s.blockSize}, batch ${s.perDeviceEvalBatchSize}, seed ${s.seed}, ${backend.name}`,
      );
      const result = evaluate(
        task,
        saved.checkpoint.params,
        data,
        s.perDeviceEvalBatchSize,
        evalKeyOf(s.seed),
      );
      output.out(`eval_loss: ${result.evalLoss.toFixed(4)}`);
      output.out(`perplexity: ${result.perplexity.toFixed(2)}`);
      output.out(
        `word_perplexity: ${result.wordPerplexity.toFixed(2)} (${valid.validationWords.toLocaleString("en-US")} words, ${valid.validationTokens.toLocaleString("en-US")} tokens)`,
      );
      output.err(
        `${result.scoredTokens.toLocaleString("en-US")} tokens scored in ${result.seconds.toFixed(1)} s`,
      );
      // eval_results.json holds the run's validation loss: comparable only on that split
      const recorded = split.right === "validation" ? await readRecordedLoss(f.modelDir) : undefined;
      if (recorded !== undefined)
        output.err(
          `eval_results.json recorded eval_loss ${recorded.toFixed(6)}; now ${result.evalLoss.toFixed(6)} (difference ${Math.abs(recorded - result.evalLoss).toExponential(1)})`,
        );
      onResult?.(result);
      if (!Number.isFinite(result.evalLoss))
        throw new UserError(
          `the validation loss is ${result.evalLoss}: the model's parameters do not give finite numbers (a diverged run?)`,
        );
      return 0;
    } finally {
      await close();
    }
  });

runIfEntryPoint(import.meta.url, main);
