/**
 * The tiny run of issue 16's check, shared by the Node test (src/run/session.test.ts) and the browser
 * e2e: a tiny model (gpt2-tiny, or bert-tiny with train:bert), blocks of 32, 20 steps on the word-level
 * WikiText config, seed 7, the wasm backend on 2 threads.
 */
export const tinyRunFlags = (dataDir: string, outputDir: string, model = "gpt2-tiny"): string[] => [
  "--dataset-config",
  "wikitext-2-v1",
  "--data-dir",
  dataDir,
  "--output-dir",
  outputDir,
  "--model",
  model,
  "--block-size",
  "32",
  "--per-device-train-batch-size",
  "4",
  "--per-device-eval-batch-size",
  "4",
  "--max-steps",
  "20",
  "--logging-steps",
  "5",
  "--seed",
  "7",
  "--backend",
  "wasm",
  "--threads",
  "2",
];

/** The files the trainer and the page must agree on, byte for byte, after the tiny run. */
export const SAME_BYTES = [
  "model.safetensors",
  "config.json",
  "tokenizer.json",
  "tokenizer_config.json",
  "special_tokens_map.json",
  "training_args.json",
] as const;
