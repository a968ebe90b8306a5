/**
 * The text files a finished run leaves beside its model, as Hugging Face's Trainer and run_clm leave
 * them: `training_args.json`, `trainer_state.json`, `train_results.json` / `eval_results.json` /
 * `all_results.json` (`trainer.save_metrics`), the model card and our `loss.svg`. Pure: the Node trainer
 * writes them (artifacts.ts), the browser playground offers them as downloads.
 */
import { lossSvg } from "./loss-svg.js";
import { modelCard } from "./model-card.js";
import type { TrainerState } from "./state.js";
import type { EvalResult } from "./step.js";
import { totalFlos, trainerStateText } from "./trainer-state-file.js";

export interface RunSummary {
  readonly title: string;
  readonly modelType: "gpt2" | "bert";
  readonly objective: "causal-lm" | "masked-lm";
  readonly config: Record<string, unknown>;
  readonly parameterCount: number;
  readonly tokenizerDescription: string;
  readonly datasetConfig: string;
  /** `--train-file`, when the run trained on the user's own text. */
  readonly trainFile?: string;
  /** `--model-name-or-path`, when the run fine-tuned a pretrained model. */
  readonly baseModel?: string;
  readonly trainingArgs: Record<string, unknown>;
  readonly state: TrainerState;
  /** The final evaluation; absent when the run did not evaluate (`--do-train` without `--do-eval`). */
  readonly eval?: EvalResult;
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
export const evalMetrics = (s: RunSummary & { readonly eval: EvalResult }): Record<string, number> => {
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

/**
 * The run's text files by name: training_args.json, trainer_state.json, train_results.json,
 * eval_results.json (only when the run evaluated, as run_clm's `do_eval`), all_results.json, loss.svg
 * and the model card README.md for `outputDir`.
 * @example for (const [name, text] of Object.entries(runResultTexts(summary, "output/gpt2"))) …
 */
export const runResultTexts = (s: RunSummary, outputDir: string): Record<string, string> => {
  const train = trainMetrics(s);
  const ev = s.eval;
  const evaluation = ev ? evalMetrics({ ...s, eval: ev }) : undefined;
  const trainLosses = s.state.log_history
    .filter((e) => e.loss !== undefined && e.eval_loss === undefined)
    .map((e) => ({ step: e.step, loss: e.loss! }));
  const evals = s.state.log_history
    .filter((e) => e.eval_loss !== undefined)
    .map((e) => ({ step: e.step, loss: e.eval_loss! }));
  return {
    "training_args.json": json(s.trainingArgs),
    "trainer_state.json": trainerStateText(s.state, s.nonEmbeddingParameters),
    "train_results.json": metricsJson(train),
    ...(evaluation ? { "eval_results.json": metricsJson(evaluation) } : {}),
    "all_results.json": metricsJson({ ...train, ...evaluation }),
    "loss.svg": lossSvg(s.title, trainLosses, evals),
    "README.md": modelCard({
      ...s,
      outputDir,
      ...(ev
        ? { results: { evalLoss: ev.evalLoss, perplexity: ev.perplexity, wordPerplexity: ev.wordPerplexity } }
        : {}),
      epochTable: epochTable(s.state),
    }),
  };
};
