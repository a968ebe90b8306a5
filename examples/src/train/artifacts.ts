/**
 * What a finished run leaves in its output directory, as Hugging Face's Trainer and run_clm leave it:
 * the model (`save_pretrained`), the tokenizer directory files, `training_args.json`,
 * `trainer_state.json`, `train_results.json` / `eval_results.json` / `all_results.json`
 * (`trainer.save_metrics`), the model card, and our `loss.svg`.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { saveCheckpoint } from "@scratchgrad/nn";
import { formatTokenizerError, savePretrainedTokenizer, type Tokenizer } from "@scratchgrad/tokenizer";
import * as E from "fp-ts/lib/Either.js";
import { lossSvg } from "./loss-svg.js";
import { modelCard } from "./model-card.js";
import { modelMaxLength } from "./model-facts.js";
import type { TrainerState } from "./state.js";
import type { EvalResult } from "./trainer.js";
import { totalFlos, trainerStateText } from "./trainer-state-file.js";

export interface RunSummary {
  readonly title: string;
  readonly modelType: "gpt2" | "bert";
  readonly objective: "causal-lm" | "masked-lm";
  readonly config: Record<string, unknown>;
  readonly parameterCount: number;
  readonly tokenizerDescription: string;
  readonly datasetConfig: string;
  readonly trainingArgs: Record<string, unknown>;
  readonly state: TrainerState;
  readonly eval: EvalResult;
  readonly wallSeconds: number;
  readonly backend: string;
  /** The command that trained the model, as a user types it (for the model card). */
  readonly command: string;
  /** Parameters outside the embeddings (HF's `total_flos` is 6 · tokens · this). */
  readonly nonEmbeddingParameters: number;
  /** Blocks of the train and validation splits (run_clm's `train_samples`, `eval_samples`). */
  readonly trainSamples: number;
  readonly evalSamples: number;
  readonly evalBatchSize: number;
  readonly blockSize: number;
}

const json = (x: unknown): string => `${JSON.stringify(x, null, 2)}\n`;

// HF's speed_metrics rounding: runtimes to 4 decimals, rates to 3
const round = (x: number, digits: number): number => Number(x.toFixed(digits));

/** `trainer.save_metrics` writes each split's metrics sorted, with four-space indentation. */
const metricsJson = (metrics: Readonly<Record<string, number>>): string =>
  `${JSON.stringify(Object.fromEntries(Object.entries(metrics).sort(([a], [b]) => (a < b ? -1 : 1))), null, 4)}\n`;

/**
 * run_clm's train metrics: `train_loss` (the mean of every step's loss), runtime and rates, samples
 * (blocks), `total_flos` and the epoch.
 */
export const trainMetrics = (s: RunSummary): Record<string, number> => {
  const { state } = s;
  const runtime = Math.max(state.train_runtime, 1e-9);
  const tokens = state.num_input_tokens_seen ?? 0;
  return {
    epoch: state.epoch,
    total_flos: totalFlos(tokens, s.nonEmbeddingParameters),
    train_loss: (state.total_loss_sum ?? 0) / Math.max(1, state.global_step),
    train_runtime: round(state.train_runtime, 4),
    train_samples: s.trainSamples,
    train_samples_per_second: round(tokens / s.blockSize / runtime, 3),
    train_steps_per_second: round(state.global_step / runtime, 3),
  };
};

/** run_clm's eval metrics (`eval_*`, `perplexity`, the epoch), and our `word_perplexity`. */
export const evalMetrics = (s: RunSummary): Record<string, number> => {
  const seconds = Math.max(s.eval.seconds, 1e-9);
  return {
    epoch: s.state.epoch,
    eval_loss: s.eval.evalLoss,
    eval_runtime: round(s.eval.seconds, 4),
    eval_samples: s.evalSamples,
    eval_samples_per_second: round(s.evalSamples / seconds, 3),
    eval_steps_per_second: round(Math.ceil(s.evalSamples / s.evalBatchSize) / seconds, 3),
    perplexity: s.eval.perplexity,
    word_perplexity: s.eval.wordPerplexity,
  };
};

/** The `Epoch | Training Loss | Validation Loss` table of the lab, from the log history. */
export const epochTable = (state: TrainerState): string => {
  const rows = state.log_history.filter((e) => e.eval_loss !== undefined);
  const lines = rows.map(
    (e) =>
      `| ${e.epoch.toFixed(2).padStart(5)} | ${(e.loss ?? Number.NaN).toFixed(4).padStart(13)} | ${e.eval_loss!.toFixed(4).padStart(15)} |`,
  );
  return [
    "| Epoch | Training Loss | Validation Loss |",
    "|------:|--------------:|----------------:|",
    ...lines,
  ].join("\n");
};

const unwrap = <L, R>(what: string, e: E.Either<L, R>): R => {
  if (E.isLeft(e)) throw new Error(`${what}: ${(e.left as { message?: string }).message ?? String(e.left)}`);
  return e.right;
};

/**
 * Writes what a user needs to use and share the model: model.safetensors, config.json (and GPT-2's
 * generation_config.json), tokenizer.json, tokenizer_config.json, special_tokens_map.json,
 * training_args.json, trainer_state.json, train_results.json, eval_results.json, all_results.json,
 * loss.svg and the model card README.md (metrics.jsonl is appended during training).
 */
export const writeRunOutputs = async (
  outputDir: string,
  params: unknown,
  tokenizer: Tokenizer,
  s: RunSummary,
): Promise<void> => {
  unwrap(
    "saving the model",
    await saveCheckpoint(outputDir, {
      modelType: s.modelType,
      config: s.config as never,
      params: params as never,
    })(),
  );
  const tokenizerFiles = await savePretrainedTokenizer(tokenizer, outputDir, {
    modelMaxLength: modelMaxLength(s.modelType, s.config),
  })();
  if (E.isLeft(tokenizerFiles))
    throw new Error(`saving the tokenizer: ${formatTokenizerError(tokenizerFiles.left)}`);
  await writeFile(join(outputDir, "training_args.json"), json(s.trainingArgs));
  await writeFile(join(outputDir, "trainer_state.json"), trainerStateText(s.state, s.nonEmbeddingParameters));
  const train = trainMetrics(s);
  const evaluation = evalMetrics(s);
  await writeFile(join(outputDir, "train_results.json"), metricsJson(train));
  await writeFile(join(outputDir, "eval_results.json"), metricsJson(evaluation));
  await writeFile(join(outputDir, "all_results.json"), metricsJson({ ...train, ...evaluation }));
  const trainLosses = s.state.log_history
    .filter((e) => e.loss !== undefined && e.eval_loss === undefined)
    .map((e) => ({ step: e.step, loss: e.loss! }));
  const evals = s.state.log_history
    .filter((e) => e.eval_loss !== undefined)
    .map((e) => ({ step: e.step, loss: e.eval_loss! }));
  await writeFile(join(outputDir, "loss.svg"), lossSvg(s.title, trainLosses, evals));
  await writeFile(
    join(outputDir, "README.md"),
    modelCard({
      ...s,
      outputDir,
      evalLoss: s.eval.evalLoss,
      perplexity: s.eval.perplexity,
      wordPerplexity: s.eval.wordPerplexity,
      epochTable: epochTable(s.state),
    }),
  );
};
