/**
 * The model card (`README.md`) of an output directory, as the Hub reads it: YAML front matter with
 * `library_name`, `license`, `pipeline_tag`, `datasets` and a `model-index` holding the evaluation
 * results (the Hub's widget and leaderboard fields), then the training command that made the model and
 * the Python that loads the directory.
 */
import type { TrainerState } from "./state.js";

/** What the card says about a run. */
export interface ModelCardFacts {
  readonly title: string;
  readonly outputDir: string;
  readonly modelType: "gpt2" | "bert";
  readonly datasetConfig: string;
  /** `--train-file`, when the run trained on the user's own text instead of WikiText-2. */
  readonly trainFile?: string;
  /** `--model-name-or-path`, when the run fine-tuned a pretrained model (the card's `base_model`). */
  readonly baseModel?: string;
  readonly parameterCount: number;
  readonly tokenizerDescription: string;
  /** The command that trained the model, as a user types it. */
  readonly command: string;
  readonly state: TrainerState;
  /** The final evaluation; absent when the run did not evaluate (`--do-train` without `--do-eval`). */
  readonly results?: {
    readonly evalLoss: number;
    readonly perplexity: number;
    readonly wordPerplexity: number;
  };
  readonly wallSeconds: number;
  readonly backend: string;
  readonly epochTable: string;
  readonly trainingArgs: Record<string, unknown>;
}

// per model type: the Hub's pipeline, the model-index task name, the Auto class, and how to try it
const KINDS = {
  gpt2: {
    pipeline: "text-generation",
    taskName: "Causal Language Modeling",
    objective: "causal language modelling (next token)",
    autoClass: "AutoModelForCausalLM",
    architecture: "GPT-2 (GPT2LMHeadModel)",
    tryIt:
      'print(pipeline("text-generation", model=model, tokenizer=tokenizer)("The castle was", max_new_tokens=20))',
    cli: (dir: string) => `generate -- --model-dir ${dir} --prompt "The castle was"`,
  },
  bert: {
    pipeline: "fill-mask",
    taskName: "Masked Language Modeling",
    objective: "masked language modelling (dynamic masking, 15%, 80/10/10)",
    autoClass: "AutoModelForMaskedLM",
    architecture: "BERT (BertForMaskedLM)",
    tryIt: 'print(pipeline("fill-mask", model=model, tokenizer=tokenizer)("The [MASK] began in 2010 ."))',
    cli: (dir: string) => `fill-mask -- --model-dir ${dir} --text "The [MASK] began in 2010 ."`,
  },
} as const;

// JSON strings are YAML strings: names with spaces, colons or quotes stay one scalar
const yamlString = (s: string): string => JSON.stringify(s);
const metric = (value: number): string => String(Number(value.toFixed(4)));

type Results = NonNullable<ModelCardFacts["results"]>;

const metricsYaml = (r: Results): string => `    metrics:
    - type: loss
      value: ${metric(r.evalLoss)}
      name: Validation loss
    - type: perplexity
      value: ${metric(r.perplexity)}
      name: Perplexity
    - type: perplexity
      value: ${metric(r.wordPerplexity)}
      name: Word-level perplexity
`;

const resultsText = (r: Results, epochTable: string): string => `${epochTable}

- Validation loss: ${r.evalLoss.toFixed(4)}
- Perplexity (token level): ${r.perplexity.toFixed(2)}
- Word-level perplexity: ${r.wordPerplexity.toFixed(2)}

Token-level perplexities of different tokenizers are not comparable; the word-level one is.
`;

/**
 * The card's text.
 * @example modelCard(facts).startsWith("---\nlibrary_name: transformers\n") // true
 */
export const modelCard = (f: ModelCardFacts): string => {
  const kind = KINDS[f.modelType];
  const r = f.results;
  // the directory's own name (path.basename, without Node's path module: the playground uses this)
  const name = f.outputDir.split(/[\\/]/).filter(Boolean).at(-1) ?? f.outputDir;
  const fileName = f.trainFile?.split(/[\\/]/).filter(Boolean).at(-1);
  const datasetYaml = fileName
    ? `name: ${yamlString(fileName)}\n      type: text`
    : `name: ${yamlString(`WikiText-2 (${f.datasetConfig})`)}\n      type: Salesforce/wikitext\n      config: ${f.datasetConfig}`;
  const data = fileName ? `\`${fileName}\`` : `WikiText-2 (\`${f.datasetConfig}\`)`;
  const how = f.baseModel ? `fine-tuned from \`${f.baseModel}\`` : "trained from scratch";
  return `---
library_name: transformers
license: mit
pipeline_tag: ${kind.pipeline}
${f.baseModel ? `base_model: ${yamlString(f.baseModel)}\n` : ""}tags:
- ${kind.pipeline}
- scratchgrad
- generated_from_trainer
${fileName ? "" : "datasets:\n- Salesforce/wikitext\n"}model-index:
- name: ${yamlString(name)}
  results:
  - task:
      type: ${kind.pipeline}
      name: ${kind.taskName}
    dataset:
      ${datasetYaml}
      split: validation
${r ? metricsYaml(r) : "    metrics: []\n"}---
# ${name}

${f.title}: a ${kind.architecture} ${how} on ${data} with
scratchgrad, an automatic-differentiation framework in TypeScript, on a CPU (${f.backend} backend).

- Parameters: ${f.parameterCount.toLocaleString("en-US")}
- Tokenizer: ${f.tokenizerDescription}
- Objective: ${kind.objective}
- Training: ${f.state.global_step} steps, ${f.state.epoch.toFixed(2)} epochs, ${(f.wallSeconds / 60).toFixed(1)} min wall time

## Results (validation split)

${r ? resultsText(r, f.epochTable) : "Not evaluated: the run was trained without --do-eval.\n"}
## Use it

\`\`\`python
from transformers import AutoTokenizer, ${kind.autoClass}, pipeline

path = "."  # this directory, or its repo id on the Hub
tokenizer = AutoTokenizer.from_pretrained(path)
model = ${kind.autoClass}.from_pretrained(path)
${kind.tryIt}
\`\`\`

\`\`\`sh
pnpm --filter examples ${kind.cli(JSON.stringify(f.outputDir))}
\`\`\`

## Training

\`\`\`sh
${f.command}
\`\`\`

Training arguments (\`training_args.json\`):

\`\`\`json
${JSON.stringify(f.trainingArgs, null, 2)}
\`\`\`
`;
};
