/**
 * A playground run, composed of the pieces the Node trainers (`train:gpt2`, `train:bert`, src/lab.ts)
 * compose, in
 * its order and with its keys, and nothing of Node's: the flags parsed by the trainer's own parser and
 * lab definition, the tokenizer trained on the training texts, HF's tokenize + group_texts (the first
 * `--max-*-samples` blocks kept), `init(foldIn(key(seed), 1))`, the trainer's optimizer
 * and initial state, and the very loop (`train`). So with the same flags, texts and backend, the
 * parameters after N steps are the Node trainer's, bit for bit (session.test.ts checks the files).
 */
import { fromColumns, type TextRow, tokenizeDataset } from "@scratchgrad/datasets";
import type { GradientTransformation } from "@scratchgrad/optim";
import { random } from "@scratchgrad/tensor";
import type { Tokenizer } from "@scratchgrad/tokenizer";
import * as E from "fp-ts/lib/Either.js";
import { parseConfigOverrides } from "../../../src/cli/config-overrides.js";
import { lmTaskOf } from "../../../src/tasks/lm-task.js";
import { bertLab } from "../../../src/train/bert-lab.js";
import { gpt2Lab } from "../../../src/train/gpt2-lab.js";
import {
  type LabInvocation,
  parseLabArguments,
  type ScriptFlagSpecs,
  trainingArgsRecord,
} from "../../../src/train/lab-arguments.js";
import type { LabDefinition } from "../../../src/train/lab-definition.js";
import { batchEncoder, firstBlocks, groupBlocks, validationData } from "../../../src/train/lm-data.js";
import type { TrainerCallback } from "../../../src/train/loop-events.js";
import { initialState } from "../../../src/train/state.js";
import type { LmModel, LmTask } from "../../../src/train/task.js";
import {
  makeOptimizer,
  type RunState,
  type TrainingData,
  type TrainingOutcome,
  train,
} from "../../../src/train/trainer.js";
import { stepsPerEpochOf, totalStepsOf, warmupProblem } from "../../../src/train/training-args.js";

/** The two labs the page trains: train:gpt2's and train:bert's definitions. */
export const LABS = { gpt2: gpt2Lab, bert: bertLab } as const;
export type LabName = keyof typeof LABS;

// a lab definition of either script, as the session uses it
type AnyLab = LabDefinition<ScriptFlagSpecs>;

/** WikiText rows of the two splits the run uses (one string per line, as Hugging Face yields them). */
export interface SplitTexts {
  readonly train: readonly string[];
  readonly validation: readonly string[];
}

/** Everything a run is, before its first step. */
export interface PreparedRun {
  readonly lab: AnyLab;
  readonly inv: LabInvocation<ScriptFlagSpecs>;
  readonly tokenizer: Tokenizer;
  readonly data: TrainingData;
  readonly model: LmModel;
  readonly task: LmTask<unknown>;
  readonly optimizer: GradientTransformation<unknown>;
  readonly start: RunState<unknown>;
  readonly totalSteps: number;
  readonly stepsPerEpoch: number;
}

/** Flags whose work is Node's (reading or writing directories, uploading): refused, never ignored. */
const NODE_ONLY: Readonly<Record<string, string>> = {
  modelNameOrPath: "--model-name-or-path reads a model directory",
  tokenizerName: "--tokenizer-name reads a tokenizer directory",
  trainFile: "--train-file reads a file (pick the data above instead)",
  validationFile: "--validation-file reads a file (pick the data above instead)",
  resumeFromCheckpoint: "--resume-from-checkpoint reads a checkpoint directory",
  pushToHub: "--push-to-hub uploads from Node",
};

const rowsOf = (texts: readonly string[]) => fromColumns<TextRow>({ text: [...texts] });

/**
 * Parses `argv` (the lab script's flags) and builds the run from the split texts: a Left is the one line
 * the trainer would print for the same flags (a bad flag, a vocabulary it cannot honour, too little
 * text). `runId` names the run in trainer_state.json (a UUID; it changes no weight).
 * @example const prepared = prepareRun("gpt2", ["--model", "gpt2-tiny", "--max-steps", "20"], texts, id);
 */
export const prepareRun = (
  name: LabName,
  argv: readonly string[],
  texts: SplitTexts,
  runId: string,
): E.Either<string, PreparedRun> => {
  const lab = LABS[name] as unknown as AnyLab;
  const parsed = parseLabArguments(lab.flags, argv, lab.resolveDefaults);
  if (E.isLeft(parsed)) return parsed;
  const inv = parsed.right;
  const args = inv.args;
  const nodeOnly = Object.keys(NODE_ONLY).find((key) => inv.given.has(key));
  if (nodeOnly)
    return E.left(
      `${NODE_ONLY[nodeOnly]}: the Node trainer does that; the page trains from scratch on its data`,
    );
  if (!args.doTrain)
    return E.left(
      "--do-eval without --do-train evaluates a saved model, which the Node eval script does; here, add --do-train",
    );
  const overrides = parseConfigOverrides(args.configOverrides, lab.configDefaults, lab.reservedConfigKeys);
  if (E.isLeft(overrides)) return overrides;
  try {
    const train = rowsOf(texts.train);
    const tokenizer = lab.trainTokenizer(train.columns.text, args, inv.given);
    // run_clm's max_train_samples / max_eval_samples keep the first blocks after grouping
    const trainBlocks = groupBlocks(
      tokenizeDataset(batchEncoder(tokenizer))(train),
      args.blockSize,
      lab.objective,
    );
    const data: TrainingData = {
      train: firstBlocks(trainBlocks, args.maxTrainSamples),
      ...validationData(
        rowsOf(texts.validation),
        tokenizer,
        args.blockSize,
        lab.objective,
        args.maxEvalSamples,
      ),
    };
    if (data.train.numBlocks === 0 || data.validation.numBlocks === 0)
      return E.left(
        `the ${data.train.numBlocks === 0 ? "training" : "validation"} text has not enough tokens for one block of ${args.blockSize}; lower --block-size or give more text`,
      );
    const totalSteps = totalStepsOf(data.train.numBlocks, args);
    const warmup = warmupProblem(args, totalSteps);
    if (warmup) return E.left(warmup);
    const made = lab.makeModel(args.model, tokenizer, args.blockSize, overrides.right);
    const model = lab.withTaskOptions?.(made, args) ?? made;
    const task = lmTaskOf(model);
    const params = task.init(random.foldIn(random.key(args.seed), 1));
    const optimizer = makeOptimizer(params, args, totalSteps);
    const stepsPerEpoch = stepsPerEpochOf(
      data.train.numBlocks,
      args.perDeviceTrainBatchSize,
      args.gradientAccumulationSteps,
    );
    const state = initialState({ totalSteps, stepsPerEpoch }, args, runId);
    const start = { params, optState: optimizer.init(params), state };
    return E.right({ lab, inv, tokenizer, data, model, task, optimizer, start, totalSteps, stepsPerEpoch });
  } catch (e) {
    return E.left((e as Error).message);
  }
};

/**
 * Trains a prepared run with the trainer's loop. The browser keeps no checkpoint directories: a save
 * the flags ask for (`--save-steps`) is reported to the callbacks and writes nothing.
 */
export const trainPrepared = (
  run: PreparedRun,
  callbacks: readonly TrainerCallback[],
): Promise<TrainingOutcome<unknown>> =>
  train(
    {
      task: run.task,
      optimizer: run.optimizer,
      data: run.data,
      args: run.inv.args,
      callbacks,
      save: async () => undefined,
    },
    run.start,
  );

/** training_args.json's record of the run (the trainer's, with the flags as given). */
export const trainingArgsOf = (run: PreparedRun): Record<string, unknown> =>
  trainingArgsRecord(run.lab.flags, run.inv);
