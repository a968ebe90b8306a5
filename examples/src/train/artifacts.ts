import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { saveCheckpoint } from "@scratchgrad/nn";
import { saveTokenizer, type Tokenizer } from "@scratchgrad/tokenizer";
import * as E from "fp-ts/lib/Either.js";
import { lossSvg } from "./loss-svg.js";
import type { TrainerState } from "./state.js";
import type { EvalResult } from "./trainer.js";

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
}

const json = (x: unknown): string => `${JSON.stringify(x, null, 2)}\n`;

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

const modelCard = (s: RunSummary): string => `---
library_name: transformers
tags: [${s.objective}, scratchgrad, wikitext-2]
datasets: [wikitext]
---
# ${s.title}

A ${s.modelType === "gpt2" ? "GPT-2 (GPT2LMHeadModel)" : "BERT (BertForMaskedLM)"} trained from scratch on WikiText-2
(\`${s.datasetConfig}\`) with [scratchgrad](https://github.com/) in TypeScript on a CPU (${s.backend}).

- Parameters: ${s.parameterCount.toLocaleString("en-US")}
- Tokenizer: ${s.tokenizerDescription}
- Objective: ${s.objective === "causal-lm" ? "causal language modelling (next token)" : "masked language modelling (dynamic masking, 15%, 80/10/10)"}
- Training: ${s.state.global_step} steps, ${s.state.epoch.toFixed(2)} epochs, ${(s.wallSeconds / 60).toFixed(1)} min wall time

## Results (validation split)

${epochTable(s.state)}

- Validation loss: ${s.eval.evalLoss.toFixed(4)}
- Perplexity (token level): ${s.eval.perplexity.toFixed(2)}
- Word-level perplexity: ${s.eval.wordPerplexity.toFixed(2)}

Token-level perplexities of different tokenizers are not comparable; the word-level one is.

## Use it

\`\`\`python
from transformers import AutoTokenizer, ${s.modelType === "gpt2" ? "GPT2LMHeadModel as Model" : "BertForMaskedLM as Model"}, PreTrainedTokenizerFast
tokenizer = PreTrainedTokenizerFast(tokenizer_file="tokenizer.json")
model = Model.from_pretrained(".")
\`\`\`

\`\`\`sh
pnpm --filter examples ${s.modelType === "gpt2" ? 'generate -- --model-dir . --prompt "The"' : 'fill-mask -- --model-dir . --text "The [MASK] began ."'}
\`\`\`

## Training arguments

\`\`\`json
${JSON.stringify(s.trainingArgs, null, 2)}
\`\`\`
`;

const unwrap = <L, R>(what: string, e: E.Either<L, R>): R => {
  if (E.isLeft(e)) throw new Error(`${what}: ${(e.left as { message?: string }).message ?? String(e.left)}`);
  return e.right;
};

/**
 * Writes what a user needs to use and share the model: model.safetensors, config.json,
 * tokenizer.json, training_args.json, trainer_state.json, eval_results.json, loss.svg and a model
 * card README.md (metrics.jsonl is appended during training).
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
  unwrap("saving the tokenizer", await saveTokenizer(tokenizer, join(outputDir, "tokenizer.json"))());
  await writeFile(join(outputDir, "training_args.json"), json(s.trainingArgs));
  await writeFile(join(outputDir, "trainer_state.json"), json(s.state));
  await writeFile(
    join(outputDir, "eval_results.json"),
    json({
      epoch: s.state.epoch,
      eval_loss: s.eval.evalLoss,
      perplexity: s.eval.perplexity,
      word_perplexity: s.eval.wordPerplexity,
      eval_tokens: s.eval.scoredTokens,
    }),
  );
  const train = s.state.log_history
    .filter((e) => e.loss !== undefined && e.eval_loss === undefined)
    .map((e) => ({ step: e.step, loss: e.loss! }));
  const evals = s.state.log_history
    .filter((e) => e.eval_loss !== undefined)
    .map((e) => ({ step: e.step, loss: e.eval_loss! }));
  await writeFile(join(outputDir, "loss.svg"), lossSvg(s.title, train, evals));
  await writeFile(join(outputDir, "README.md"), modelCard(s));
};
