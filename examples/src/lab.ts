import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import {
  type Blocks,
  blockAt,
  countWordsOfRows,
  formatWikitextError,
  loadWikitext,
  parseWikitextConfig,
  showRandomElements,
  tokenizeDataset,
  wikitextOptionsFromEnv,
} from "@scratchgrad/datasets";
import { formatProfile, isProfiling, random, randomArrays } from "@scratchgrad/tensor";
import { formatTokenizerError, loadTokenizer, type Tokenizer } from "@scratchgrad/tokenizer";
import * as E from "fp-ts/lib/Either.js";
import { BACKEND_CHOICES, type BackendChoice, setupBackend } from "./cli/backend.js";
import { type ConfigValue, parseConfigOverrides } from "./cli/config-overrides.js";
import { type FlagSpecs, formatHelp, parseFlags } from "./cli/flags.js";
import { userPath } from "./cli/paths.js";
import { epochTable, writeRunOutputs } from "./train/artifacts.js";
import { batchEncoder, firstRows, groupBlocks, tokenCount } from "./train/lm-data.js";
import { formatDuration, progressBar } from "./train/progress.js";
import { loadSnapshot } from "./train/run-files.js";
import type { LmTask } from "./train/task.js";
import {
  initialState,
  latestCheckpoint,
  makeOptimizer,
  NonFiniteLossError,
  type TrainingArguments,
  totalStepsOf,
  train,
} from "./train/trainer.js";

/** Flags shared by train:gpt2 and train:bert; each script supplies its own defaults. */
export const labFlags = (d: {
  model: string;
  models: readonly string[];
  epochs: number;
  lr: number;
  vocab: number;
  outputDir: string;
  warmupRatio: number;
}) =>
  ({
    model: {
      type: "string",
      default: d.model,
      choices: d.models,
      help: "Model preset (the lab's full-size model is the first choice)",
    },
    "dataset-config": {
      type: "string",
      default: "wikitext-2-raw-v1",
      choices: ["wikitext-2-raw-v1", "wikitext-2-v1"],
      help: "WikiText-2 configuration (Hugging Face names)",
    },
    "data-dir": {
      type: "string",
      default: "",
      help: "Directory holding the WikiText-2 files (else $WIKITEXT_DIR, the cache, then the Hugging Face hub)",
    },
    "output-dir": {
      type: "string",
      default: d.outputDir,
      help: "Where the model, tokenizer, logs and checkpoints go",
    },
    "num-train-epochs": { type: "float", default: d.epochs, positive: true, help: "Training epochs" },
    "max-steps": { type: "int", default: -1, help: "Stop after this many steps (overrides epochs when > 0)" },
    "learning-rate": { type: "float", default: d.lr, positive: true, help: "Peak AdamW learning rate" },
    "weight-decay": {
      type: "float",
      default: 0.01,
      min: 0,
      help: "AdamW decoupled weight decay (not on biases and LayerNorm)",
    },
    "warmup-steps": { type: "int", default: 0, min: 0, help: "Linear warmup steps (0: use --warmup-ratio)" },
    "warmup-ratio": { type: "float", default: d.warmupRatio, min: 0, help: "Warmup as a share of all steps" },
    "max-grad-norm": { type: "float", default: 1, positive: true, help: "Global gradient-norm clipping" },
    "per-device-train-batch-size": {
      type: "int",
      default: 8,
      positive: true,
      help: "Blocks per training step",
    },
    "per-device-eval-batch-size": {
      type: "int",
      default: 8,
      positive: true,
      help: "Blocks per evaluation step",
    },
    "block-size": { type: "int", default: 128, positive: true, help: "Tokens per block (HF group_texts)" },
    "vocab-size": {
      type: "int",
      default: d.vocab,
      positive: true,
      help: "Vocabulary size of the tokenizer trained on the train split",
    },
    seed: {
      type: "int",
      default: 42,
      help: "Seed of every random choice (init, data order, dropout, masks)",
    },
    "logging-steps": {
      type: "int",
      default: 50,
      positive: true,
      help: "Log the mean training loss every N steps",
    },
    "save-steps": { type: "int", default: 500, min: 0, help: "Checkpoint every N steps (0: never)" },
    "save-total-limit": {
      type: "int",
      default: 2,
      min: 0,
      help: "Keep at most this many checkpoints (0: all)",
    },
    "resume-from-checkpoint": {
      type: "string",
      default: "",
      help: "A checkpoint directory to resume from, or 'latest'",
    },
    "max-train-samples": {
      type: "int",
      default: 0,
      min: 0,
      help: "Use only the first N training rows (0: all; for quick runs)",
    },
    "max-eval-samples": {
      type: "int",
      default: 0,
      min: 0,
      help: "Use only the first N validation rows (0: all)",
    },
    "config-overrides": {
      type: "string",
      default: "",
      help: 'Model config keys to override when training from scratch, as HF run_clm: "n_layer=6,resid_pdrop=0"',
    },
    backend: { type: "string", default: "wasm", choices: BACKEND_CHOICES, help: "Compute backend" },
    threads: { type: "int", default: 0, min: 0, help: "Worker threads for the wasm backend (0: all cores)" },
  }) as const satisfies FlagSpecs;

/** What a lab's tokenizer is trained with: `--vocab-size`, whether it was given, and every flag value. */
export interface TokenizerTrainingFlags {
  /** `--vocab-size`: the script's default unless given. */
  readonly vocabSize: number;
  /** Whether `--vocab-size` was given on the command line (a word-level vocabulary is capped only then). */
  readonly vocabSizeGiven: boolean;
  /** Every parsed flag, camelCased, for a script's own flags (`--tokenizer` of train:gpt2). */
  readonly values: Readonly<Record<string, unknown>>;
}

export interface LabDefinition<P> {
  readonly title: string;
  readonly script: string;
  readonly objective: "causal-lm" | "masked-lm";
  readonly flags: FlagSpecs;
  /**
   * Defaults that depend on other flags (train:gpt2's tokenizer follows `--dataset-config`, its epochs
   * the tokenizer): returns the values to override; `given` names the flags set on the command line.
   */
  readonly resolveDefaults?: (
    values: Readonly<Record<string, unknown>>,
    given: ReadonlySet<string>,
  ) => Record<string, unknown>;
  /** Trains the tokenizer on the training texts. */
  readonly trainTokenizer: (texts: readonly string[], flags: TokenizerTrainingFlags) => Tokenizer;
  readonly tokenizerDescription: (t: Tokenizer) => string;
  /** The model config's keys and default values (HF's `GPT2Config()`), which `--config-overrides` may set. */
  readonly configDefaults: object;
  /** Config keys the lab sets itself (from the tokenizer or the block size), with the reason. */
  readonly reservedConfigKeys: Readonly<Record<string, string>>;
  /** The task for a preset, the trained tokenizer and the block size, with `--config-overrides` applied. */
  readonly makeTask: (
    model: string,
    tokenizer: Tokenizer,
    blockSize: number,
    configOverrides: Readonly<Record<string, ConfigValue>>,
  ) => LmTask<P>;
}

/**
 * The context length a lab's model gets: the config override `key` when given (refused below the
 * block size), else the block size, or `fullSize` for the lab's full-size model (HF's own value).
 */
export const contextLength = (
  overrides: Readonly<Record<string, ConfigValue>>,
  key: string,
  blockSize: number,
  fullSize: number,
): number => {
  const given = overrides[key] as number | undefined;
  if (given !== undefined && given < blockSize)
    throw new Error(`${key} ${given} is below --block-size ${blockSize}.`);
  return given ?? Math.max(blockSize, fullSize);
};

function die(message: string, code = 2): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(code);
}

/**
 * The lab end to end: data → exploration → tokenizer → blocks → model → training with per-epoch
 * evaluation → perplexities → saved model. Everything the lab prints, in its order.
 */
export const runLab = async <P>(def: LabDefinition<P>, argv: readonly string[]): Promise<void> => {
  const parsed = parseFlags(def.flags, argv);
  if (E.isLeft(parsed)) die(`${parsed.left}`);
  const {
    values: parsedValues,
    given,
    help,
  } = parsed.right as { values: Record<string, any>; given: ReadonlySet<string>; help: boolean };
  const f: Record<string, any> = { ...parsedValues, ...def.resolveDefaults?.(parsedValues, given) };
  if (help) {
    console.log(formatHelp(`pnpm --filter examples ${def.script} -- [options]`, def.title, def.flags));
    return;
  }
  const config = parseWikitextConfig(f.datasetConfig);
  if (E.isLeft(config)) die(String((config.left as { message?: string }).message ?? config.left));
  const configOverrides = parseConfigOverrides(f.configOverrides, def.configDefaults, def.reservedConfigKeys);
  if (E.isLeft(configOverrides)) die(configOverrides.left);
  const wall0 = performance.now();
  const outputDir = userPath(f.outputDir);
  await mkdir(outputDir, { recursive: true });
  const { backend, close } = await setupBackend(f.backend as BackendChoice, f.threads);
  let interrupted = false;
  process.on("SIGINT", () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write(
      "\nInterrupted: saving a checkpoint at the end of this step (Ctrl-C again to quit without saving)…\n",
    );
  });

  // 1. Data
  const loaded = await loadWikitext(config.right, {
    ...wikitextOptionsFromEnv(process.env),
    ...(f.dataDir ? { dataDir: userPath(f.dataDir) } : {}),
    splits: ["train", "validation"],
  })();
  if (E.isLeft(loaded)) die(formatWikitextError(loaded.left));
  const ds = loaded.right;
  const trainRows = firstRows(ds.train, f.maxTrainSamples);
  const validRows = firstRows(ds.validation, f.maxEvalSamples);
  console.log(
    `${def.title}\n\nDataset ${f.datasetConfig}: train ${trainRows.numRows.toLocaleString("en-US")} rows, validation ${validRows.numRows.toLocaleString("en-US")} rows. Random rows:`,
  );
  const seedKey = random.key(f.seed);
  showRandomElements(trainRows, 5, {
    randomInts: (n, max) => randomArrays.randint(random.foldIn(seedKey, 99), n, 0, max),
  });

  // 2. Tokenizer (trained on the training split, or the one a resumed checkpoint used)
  const resumeDir =
    f.resumeFromCheckpoint === "latest"
      ? await latestCheckpoint(outputDir)
      : f.resumeFromCheckpoint || undefined;
  if (f.resumeFromCheckpoint === "latest" && !resumeDir)
    die(`--resume-from-checkpoint latest: no checkpoint-* directory in ${outputDir}`);
  const tokenizerLoader = async (path: string): Promise<Tokenizer> => {
    const t = await loadTokenizer(path)();
    if (E.isLeft(t)) throw new Error(formatTokenizerError(t.left));
    return t.right;
  };
  let tokenizer: Tokenizer;
  const t0 = performance.now();
  if (resumeDir) tokenizer = await tokenizerLoader(join(resumeDir, "tokenizer.json"));
  else {
    try {
      tokenizer = def.trainTokenizer(trainRows.columns.text, {
        vocabSize: f.vocabSize,
        vocabSizeGiven: given.has("vocabSize"),
        values: f,
      });
    } catch (e) {
      // the trainers refuse a vocabSize they cannot honour with a RangeError naming it: a usage error
      if (e instanceof RangeError && e.message.includes("vocabSize"))
        die(`--vocab-size ${f.vocabSize}: ${e.message}`);
      throw e;
    }
  }
  console.log(
    `\nTokenizer: ${def.tokenizerDescription(tokenizer)} (${resumeDir ? "from the checkpoint" : `trained in ${((performance.now() - t0) / 1000).toFixed(1)} s`})`,
  );

  // 3. Tokenize and group into blocks
  const encodeBatch = batchEncoder(tokenizer);
  const t1 = performance.now();
  const tokenizedTrain = tokenizeDataset(encodeBatch)(trainRows);
  const tokenizedValid = tokenizeDataset(encodeBatch)(validRows);
  const example = trainRows.columns.text.findIndex((t) => t.trim().length > 0);
  const exampleIds = Array.from(tokenizedTrain.columns.input_ids[example]!);
  console.log(
    `Tokenized example (row ${example}): ${JSON.stringify(trainRows.columns.text[example]!.slice(0, 80))}…\n  input_ids: [${exampleIds.slice(0, 24).join(", ")}${exampleIds.length > 24 ? ", …" : ""}] (${exampleIds.length} tokens)`,
  );
  const trainBlocks: Blocks = groupBlocks(tokenizedTrain, f.blockSize, def.objective);
  const validBlocks: Blocks = groupBlocks(tokenizedValid, f.blockSize, def.objective);
  const validationTokens = tokenCount(tokenizedValid);
  const validationWords = countWordsOfRows(validRows.columns.text);
  console.log(
    `Grouped into blocks of ${f.blockSize}: train ${trainBlocks.numBlocks.toLocaleString("en-US")}, validation ${validBlocks.numBlocks.toLocaleString("en-US")} (${((performance.now() - t1) / 1000).toFixed(1)} s)`,
  );
  if (trainBlocks.numBlocks === 0 || validBlocks.numBlocks === 0)
    die(`not enough text for one block of ${f.blockSize} tokens; lower --block-size or use more samples`);
  console.log(
    `A decoded block:\n  ${JSON.stringify(tokenizer.decode(Array.from(blockAt(trainBlocks, 0).inputIds)))}`,
  );

  // 4. Model, optimizer, trainer state (fresh or resumed)
  const args: TrainingArguments = {
    outputDir,
    numTrainEpochs: f.numTrainEpochs,
    maxSteps: f.maxSteps,
    learningRate: f.learningRate,
    weightDecay: f.weightDecay,
    warmupSteps: f.warmupSteps,
    warmupRatio: f.warmupRatio,
    perDeviceTrainBatchSize: f.perDeviceTrainBatchSize,
    perDeviceEvalBatchSize: f.perDeviceEvalBatchSize,
    maxGradNorm: f.maxGradNorm,
    seed: f.seed,
    loggingSteps: f.loggingSteps,
    saveSteps: f.saveSteps,
    saveTotalLimit: f.saveTotalLimit,
  };
  const data = { train: trainBlocks, validation: validBlocks, validationWords, validationTokens };
  const totalSteps = totalStepsOf(data, args);
  let task: LmTask<P>;
  try {
    task = def.makeTask(f.model, tokenizer, f.blockSize, configOverrides.right);
  } catch (e) {
    // an override the model's config refuses (n_embd not divisible by n_head, a dropout of 1, …)
    if (f.configOverrides) die(`--config-overrides ${f.configOverrides}: ${(e as Error).message}`);
    throw e;
  }
  let params = task.init(random.foldIn(seedKey, 1));
  const optimizer = makeOptimizer(params, args, totalSteps);
  let optState = optimizer.init(params);
  let state = initialState(data, args);
  if (resumeDir) {
    const snap = await loadSnapshot(resumeDir, optimizer, tokenizerLoader).catch((e: Error) =>
      die(e.message),
    );
    params = snap.params as P;
    optState = snap.optState;
    state = { ...snap.state, max_steps: totalSteps };
    console.log(`Resuming from ${resumeDir} at step ${state.global_step}`);
  }
  console.log(
    `\n${task.modelType === "gpt2" ? "GPT-2" : "BERT"} model size: ${(task.parameterCount / 1e6).toFixed(2)}M parameters (${f.model}, vocab ${tokenizer.vocabSize})`,
  );
  console.log(
    `Training ${totalSteps} steps (${(totalSteps / Math.ceil(trainBlocks.numBlocks / args.perDeviceTrainBatchSize)).toFixed(2)} epochs of ${Math.ceil(trainBlocks.numBlocks / args.perDeviceTrainBatchSize)} steps, batch ${args.perDeviceTrainBatchSize} × ${f.blockSize} tokens) on ${backend.name}\n`,
  );

  // 5. Train
  let outcome: Awaited<ReturnType<typeof train<P>>>;
  try {
    outcome = await train(
      task,
      tokenizer,
      data,
      args,
      { params, optState, state, optimizer },
      {
        log: (line) => console.log(line),
        progress: progressBar(process.stderr, f.loggingSteps),
        interrupted: () => interrupted,
        memoryMiB: () => Math.round(process.memoryUsage().rss / 2 ** 20),
      },
    );
  } catch (e) {
    if (e instanceof NonFiniteLossError) die(e.message, 1);
    throw e;
  }
  if (outcome.interrupted) {
    console.log(
      `\nSaved ${outcome.checkpoint}. Resume with:\n  pnpm --filter examples ${def.script} -- --output-dir ${f.outputDir} --resume-from-checkpoint ${outcome.checkpoint}`,
    );
    await close();
    process.exit(130);
  }

  // 6. Results and files
  const ev = outcome.finalEval;
  const wallSeconds = (performance.now() - wall0) / 1000;
  console.log(`\n${epochTable(outcome.state)}\n`);
  console.log(`Perplexity: ${ev.perplexity.toFixed(2)}`);
  console.log(
    `Word-level perplexity: ${ev.wordPerplexity.toFixed(2)} (validation: ${validationWords.toLocaleString("en-US")} words, ${validationTokens.toLocaleString("en-US")} tokens)`,
  );
  const tps = outcome.state.log_history.at(-1)?.train_tokens_per_second;
  console.log(
    `Wall time: ${formatDuration(wallSeconds)}${tps ? `, ${tps.toLocaleString("en-US")} training tokens/s` : ""}`,
  );
  await writeRunOutputs(outputDir, outcome.params, tokenizer, {
    title: def.title,
    modelType: task.modelType,
    objective: def.objective,
    config: task.config,
    parameterCount: task.parameterCount,
    tokenizerDescription: def.tokenizerDescription(tokenizer),
    datasetConfig: f.datasetConfig,
    trainingArgs: {
      ...Object.fromEntries(
        Object.entries(f).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]),
      ),
      output_dir: outputDir,
    },
    state: outcome.state,
    eval: ev,
    wallSeconds,
    backend: backend.name,
  });
  console.log(`Saved model, tokenizer and logs to ${outputDir}`);
  if (isProfiling()) console.log(`\n${formatProfile(outcome.state.global_step)}`);
  await close();
};
