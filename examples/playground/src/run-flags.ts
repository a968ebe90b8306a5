/**
 * The page's form as train:gpt2's flags: each field is the flag of the same name, and "more flags"
 * takes any other flag as typed on a command line. The page shows the Node command these flags make,
 * and the worker parses them with the trainer's own parser, so the two runs are one run.
 */

/** The form's fields (strings as typed; the trainer's parser checks them). */
export interface RunForm {
  readonly datasetConfig: string;
  readonly model: string;
  readonly tokenizer: string;
  readonly maxSteps: string;
  readonly blockSize: string;
  readonly batchSize: string;
  readonly learningRate: string;
  readonly vocabSize: string;
  readonly maxTrainSamples: string;
  readonly maxEvalSamples: string;
  readonly seed: string;
  readonly threads: string;
  /** Further flags, as on a command line (`--warmup-ratio 0 --lr-scheduler-type cosine`). */
  readonly moreFlags: string;
}

/**
 * Splits a command-line fragment into arguments: whitespace separates, single or double quotes group.
 * @example splitArgs(`--config-overrides "n_layer=1, n_head=2"`) // ["--config-overrides", "n_layer=1, n_head=2"]
 */
export const splitArgs = (text: string): string[] => {
  const out: string[] = [];
  for (const m of text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
};

/**
 * The flags of a form; an empty field leaves the trainer's default (the recipe's, for the model,
 * learning rate and epochs).
 * @example runFlags({ ...form, model: "gpt2-tiny", maxSteps: "20" }) // ["--dataset-config", …, "--model", "gpt2-tiny", "--max-steps", "20", …]
 */
export const runFlags = (f: RunForm): string[] => {
  const fields: readonly [string, string][] = [
    ["--dataset-config", f.datasetConfig],
    ["--model", f.model],
    ["--tokenizer", f.tokenizer],
    ["--max-steps", f.maxSteps],
    ["--block-size", f.blockSize],
    ["--per-device-train-batch-size", f.batchSize],
    ["--per-device-eval-batch-size", f.batchSize],
    ["--learning-rate", f.learningRate],
    ["--vocab-size", f.vocabSize],
    ["--max-train-samples", f.maxTrainSamples],
    ["--max-eval-samples", f.maxEvalSamples],
    ["--seed", f.seed],
    ["--threads", f.threads],
  ];
  return [
    ...fields.flatMap(([flag, value]) => (value.trim() === "" ? [] : [flag, value.trim()])),
    ...splitArgs(f.moreFlags),
  ];
};
