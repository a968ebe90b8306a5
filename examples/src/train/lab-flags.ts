/**
 * The flags train:gpt2 and train:bert share, in Hugging Face TrainingArguments' and run_clm's names
 * (kebab-cased; snake_case works too): each with its type, default, bounds and help line. A script
 * supplies its own defaults (`LabDefaults`) and may resolve some from other flags.
 */
import { BACKEND_FLAGS } from "../cli/backend-choices.js";
import type { FlagSpecs } from "../cli/flags.js";
import { INTERVAL_STRATEGIES, OPTIMIZER_NAMES, SCHEDULER_TYPES } from "./training-args.js";

/** `--hub-strategy`: the HF strategies offered. */
export const HUB_STRATEGIES = ["every_save", "end"] as const;

/** A script's defaults for the shared flags. */
export interface LabDefaults {
  readonly model: string;
  readonly models: readonly string[];
  readonly epochs: number;
  readonly lr: number;
  readonly vocab: number;
  readonly outputDir: string;
  readonly warmupRatio: number;
}

/** Flags shared by train:gpt2 and train:bert; each script supplies its own defaults. */
export const labFlags = (d: LabDefaults) =>
  ({
    model: {
      type: "string",
      default: d.model,
      choices: d.models,
      help: "Model preset (the lab's full-size model is the first choice)",
    },
    "do-train": {
      type: "boolean",
      default: false,
      help: "Train (HF's do_train); with neither --do-train nor --do-eval the run trains and evaluates",
    },
    "do-eval": {
      type: "boolean",
      default: false,
      help: "Evaluate on the validation split (HF's do_eval); alone, scores --model-name-or-path (else --output-dir) without training, as `eval`",
    },
    "dataset-name": {
      type: "string",
      default: "",
      help: "run_clm's dataset: only wikitext is built in (its --dataset-config-name picks the config); other data: --train-file",
    },
    "dataset-config-name": {
      type: "string",
      default: "",
      help: "HF's name for --dataset-config (wikitext-2-raw-v1 or wikitext-2-v1)",
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
      help: "Where the model, tokenizer, logs and checkpoints go; one with checkpoints resumes from the last",
    },
    "overwrite-output-dir": {
      type: "boolean",
      default: false,
      help: "Train from scratch into a non-empty --output-dir (its checkpoints and metrics.jsonl are deleted)",
    },
    "num-train-epochs": { type: "float", default: d.epochs, positive: true, help: "Training epochs" },
    "max-steps": {
      type: "int",
      default: -1,
      min: -1,
      help: "Stop after this many steps (overrides epochs; -1: train --num-train-epochs)",
    },
    "learning-rate": { type: "float", default: d.lr, positive: true, help: "Peak AdamW learning rate" },
    "weight-decay": {
      type: "float",
      default: 0.01,
      min: 0,
      help: "AdamW decoupled weight decay (not on biases and LayerNorm)",
    },
    "warmup-steps": { type: "int", default: 0, min: 0, help: "Linear warmup steps (0: use --warmup-ratio)" },
    "warmup-ratio": {
      type: "float",
      default: d.warmupRatio,
      min: 0,
      below: 1,
      help: "Warmup as a share of all steps, in [0, 1)",
    },
    "lr-scheduler-type": {
      type: "string",
      default: "linear",
      choices: SCHEDULER_TYPES,
      help: "Learning-rate schedule after warmup (HF's; constant ignores warmup, as HF does)",
    },
    optim: {
      type: "string",
      default: "adamw",
      choices: OPTIMIZER_NAMES,
      help: "adamw (adamw_torch: the same); muon: Muon for hidden matrices, AdamW for the rest",
    },
    "adam-beta1": { type: "float", default: 0.9, min: 0, below: 1, help: "AdamW's beta1" },
    "adam-beta2": { type: "float", default: 0.999, min: 0, below: 1, help: "AdamW's beta2" },
    "adam-epsilon": { type: "float", default: 1e-8, positive: true, help: "AdamW's epsilon" },
    "muon-learning-rate": {
      type: "float",
      default: 0.02,
      positive: true,
      help: "Peak Muon learning rate of the hidden matrices with --optim muon (same schedule and warmup)",
    },
    "muon-momentum": {
      type: "float",
      default: 0.95,
      min: 0,
      below: 1,
      help: "Muon's (Nesterov) momentum with --optim muon",
    },
    "max-grad-norm": { type: "float", default: 1, positive: true, help: "Global gradient-norm clipping" },
    "gradient-accumulation-steps": {
      type: "int",
      default: 1,
      positive: true,
      max: 4096,
      help: "Micro-batches of --per-device-train-batch-size per optimizer step (gradients averaged)",
    },
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
      min: 0,
      max: 2 ** 32 - 1,
      help: "Seed of every random choice (init, data order, dropout, masks)",
    },
    "logging-steps": {
      type: "int",
      default: 50,
      positive: true,
      help: "Log (and print, as HF's {'loss': …} line) the mean training loss every N steps",
    },
    "logging-first-step": {
      type: "boolean",
      default: false,
      help: "Also log the first step (HF's logging_first_step)",
    },
    "eval-strategy": {
      type: "string",
      default: "epoch",
      choices: INTERVAL_STRATEGIES,
      help: "When to evaluate during training: no, every --eval-steps, or each epoch's end (the run's last step always evaluates, as run_clm's --do_eval)",
    },
    "eval-steps": {
      type: "int",
      default: 0,
      min: 0,
      help: "Steps between evaluations with --eval-strategy steps (0: --logging-steps, as HF)",
    },
    "save-strategy": {
      type: "string",
      default: "steps",
      choices: INTERVAL_STRATEGIES,
      help: "When to save a checkpoint: no, every --save-steps, or each epoch's end (never at the last step: the run's outputs are written then)",
    },
    "save-steps": {
      type: "int",
      default: 500,
      min: 0,
      help: "Checkpoint every N steps with --save-strategy steps (0: never)",
    },
    "report-to": {
      type: "string",
      default: "none",
      choices: ["none", "tensorboard"],
      help: "Also log to TensorBoard event files (under --logging-dir); metrics.jsonl is always written",
    },
    "logging-dir": {
      type: "string",
      default: "",
      help: "TensorBoard's directory with --report-to tensorboard (default: <output-dir>/runs/<Mon DD_HH-MM-SS>_<host>, as HF)",
    },
    "save-total-limit": {
      type: "int",
      default: 2,
      min: 0,
      help: "Keep at most this many checkpoints of the run (0: all)",
    },
    "push-to-hub": {
      type: "boolean",
      default: false,
      help: "Push the model, tokenizer, results and card to the Hugging Face Hub (HF_ENDPOINT), one commit per push",
    },
    "hub-model-id": {
      type: "string",
      default: "",
      help: "The repo to push to, org/name or name (under the token's user); default: the --output-dir's name",
    },
    "hub-token": {
      type: "string",
      default: "",
      help: "A token with write access for --push-to-hub (default: HF_TOKEN); never stored or printed",
    },
    "hub-strategy": {
      type: "string",
      default: "every_save",
      choices: HUB_STRATEGIES,
      help: "every_save: push each checkpoint's model files as it is saved, and the outputs at the end; end: only at the end",
    },
    "hub-private-repo": {
      type: "boolean",
      default: false,
      help: "Create the repo private when --push-to-hub creates it",
    },
    "resume-from-checkpoint": {
      type: "string",
      default: "",
      help: "A checkpoint directory to resume from (its run's flags are restored), or 'latest'",
    },
    "train-file": {
      type: "string",
      default: "",
      help: "Train on this file instead of WikiText-2: .txt (one row per line, as HF's text builder) or .parquet (a text column)",
    },
    "validation-file": {
      type: "string",
      default: "",
      help: "Validation rows with --train-file (.txt or .parquet); without it, the first --validation-split-percentage % of the training rows",
    },
    "validation-split-percentage": {
      type: "int",
      default: 5,
      min: 0,
      max: 100,
      help: "With --train-file and no --validation-file: the % of its rows (the first ones) held out for validation",
    },
    "keep-linebreaks": {
      type: "boolean",
      default: true,
      help: "Keep each line's break in a .txt file's rows (run_clm's keep_linebreaks)",
    },
    "max-train-samples": {
      type: "int",
      default: 0,
      min: 0,
      help: "Train on only the first N blocks (counted after grouping, as run_clm; 0: all)",
    },
    "max-eval-samples": {
      type: "int",
      default: 0,
      min: 0,
      help: "Evaluate on only the first N validation blocks (0: all)",
    },
    "model-name-or-path": {
      type: "string",
      default: "",
      help: "Fine-tune this pretrained model: a local directory of HF files or a hub repo id (downloaded into $HF_HOME/hub); --model, --config-overrides and the tokenizer flags then do not apply",
    },
    "model-revision": {
      type: "string",
      default: "main",
      help: "Branch, tag or commit of a hub --model-name-or-path",
    },
    "tokenizer-name": {
      type: "string",
      default: "",
      help: "A pretrained tokenizer (directory or hub repo id) instead of one trained on the train split; default with --model-name-or-path: the model's",
    },
    "config-overrides": {
      type: "string",
      default: "",
      help: 'Model config keys to override when training from scratch, as HF run_clm: "n_layer=6,resid_pdrop=0"',
    },
    ...BACKEND_FLAGS,
  }) as const satisfies FlagSpecs;

export type LabFlagSpecs = ReturnType<typeof labFlags>;
