/**
 * The lab's training stage: the model, optimizer and trainer state (fresh or from a checkpoint), the
 * callbacks that make up the run (flow, Ctrl-C, progress, epoch lines, metrics.jsonl, pruning, NaN
 * guard), the loop, and what the outcome prints and writes.
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { GradientTransformation } from "@scratchgrad/optim";
import { currentBackend, formatProfile, isProfiling, random } from "@scratchgrad/tensor";
import type { Tokenizer } from "@scratchgrad/tokenizer";
import * as E from "fp-ts/lib/Either.js";
import { EXIT_FAILURE, UserError } from "./cli/main.js";
import { type HubTarget, hubPushCallback, pushRun } from "./hub/trainer-push.js";
import { lmTaskOf } from "./tasks/lm-task.js";
import { epochTable, writeRunOutputs } from "./train/artifacts.js";
import {
  epochLineCallback,
  flowCallback,
  interruptCallback,
  logLineCallback,
  metricsFileCallback,
  nanGuardCallback,
  progressCallback,
  pruneCallback,
  type TrainerCallback,
} from "./train/callbacks.js";
import {
  commandLine,
  givenArgv,
  RUN_CONTROL_FLAGS,
  type ScriptFlagSpecs,
  trainingArgsRecord,
} from "./train/lab-arguments.js";
import type { LabDefinition, PlannedRun } from "./train/lab-definition.js";
import { nonEmbeddingParameterCount } from "./train/model-facts.js";
import { loadPretrainedModel } from "./train/pretrained.js";
import { formatDuration, progressBar } from "./train/progress.js";
import { ioError, loadSnapshot, saveSnapshot } from "./train/run-files.js";
import { initialState } from "./train/state.js";
import type { LmModel, LmTask } from "./train/task.js";
import { defaultLoggingDir, tensorBoardCallback } from "./train/tensorboard-callback.js";
import { makeOptimizer, type RunState, type TrainingOutcome, train } from "./train/trainer.js";
import { stepsPerEpochOf, type TrainingData, totalStepsOf } from "./train/training-args.js";

/** What the training stage is given by the lab. */
export interface LabRun<S extends ScriptFlagSpecs> {
  readonly def: LabDefinition<S>;
  readonly plan: PlannedRun<S>;
  readonly tokenizer: Tokenizer;
  readonly data: TrainingData;
  readonly backend: string;
  /** performance.now() when the lab started. */
  readonly wall0: number;
  readonly interrupted: () => boolean;
  /** `--push-to-hub`: where the run pushes. */
  readonly hub?: HubTarget;
  /** `--model-name-or-path`: the pretrained model to fine-tune, and its directory. */
  readonly pretrained?: { readonly name: string; readonly dir: string };
}

interface Start {
  readonly model: LmModel;
  readonly task: LmTask<unknown>;
  readonly optimizer: GradientTransformation<unknown>;
  readonly run: RunState<unknown>;
}

/** The model a checkpoint holds, as the tagged union. */
const savedModel = (
  modelType: "gpt2" | "bert",
  config: Record<string, unknown>,
  tokenizer: Tokenizer,
): LmModel => {
  // a fine-tuned HF model's embeddings may have more rows than its tokenizer has ids, never fewer
  if (tokenizer.vocabSize > (config.vocab_size as number))
    throw new UserError(
      `the checkpoint's tokenizer.json has ${tokenizer.vocabSize} ids but its config.json vocab_size is ${String(config.vocab_size)}; the tokenizer belongs to another model`,
    );
  if (modelType === "gpt2") return { kind: "gpt2", config: config as never };
  if (tokenizer.maskTokenId === undefined)
    throw new UserError("the checkpoint's tokenizer has no [MASK] token");
  return { kind: "bert", config: config as never, maskTokenId: tokenizer.maskTokenId };
};

/** A fresh model, optimizer and state; or the checkpoint's, with the run's step count updated. */
const startingPoint = async <S extends ScriptFlagSpecs>(r: LabRun<S>, totalSteps: number): Promise<Start> => {
  const { args } = r.plan.inv;
  const stepsPerEpoch = stepsPerEpochOf(
    r.data.train.numBlocks,
    args.perDeviceTrainBatchSize,
    args.gradientAccumulationSteps,
  );
  const withOptions = (m: LmModel): LmModel => r.def.withTaskOptions?.(m, args) ?? m;
  if (r.plan.start.kind === "fresh") {
    const pretrained = r.pretrained
      ? await loadPretrainedModel(r.pretrained, r.tokenizer, args.blockSize)
      : undefined;
    const model = withOptions(
      pretrained?.model ?? r.def.makeModel(args.model, r.tokenizer, args.blockSize, r.plan.overrides),
    );
    const task = lmTaskOf(model);
    const params = pretrained?.params ?? task.init(random.foldIn(random.key(args.seed), 1));
    const optimizer = makeOptimizer(params, args, totalSteps);
    const state = initialState({ totalSteps, stepsPerEpoch }, args, randomUUID());
    return { model, task, optimizer, run: { params, optState: optimizer.init(params), state } };
  }
  const snap = await loadSnapshot(r.plan.start.checkpoint, async () => r.tokenizer);
  const model = withOptions(savedModel(snap.modelType, snap.config, r.tokenizer));
  const optimizer = makeOptimizer(snap.params, args, totalSteps);
  const state = { ...snap.state, max_steps: totalSteps, run_id: snap.state.run_id ?? randomUUID() };
  console.log(`Resuming from ${r.plan.start.checkpoint} at step ${state.global_step}`);
  const run = { params: snap.params, optState: await snap.optState(optimizer), state };
  return { model, task: lmTaskOf(model), optimizer, run };
};

/** What the NaN guard found, for the error line. */
interface NanFailure {
  readonly step: number;
  readonly loss: number;
  readonly lastGood?: string;
}

/** The run's callbacks, in the order they see each event (the bar ends before a line prints). */
const callbacksOf = <S extends ScriptFlagSpecs>(
  r: LabRun<S>,
  runId: string,
  onNan: (f: NanFailure) => void,
): TrainerCallback[] => {
  const { args } = r.plan.inv;
  return [
    flowCallback(),
    interruptCallback(r.interrupted),
    progressCallback(progressBar(process.stderr, args.loggingSteps)),
    logLineCallback((line) => console.log(line)),
    epochLineCallback((line) => console.log(line)),
    metricsFileCallback(args.outputDir, () => ({
      memory_mib: Math.round(process.memoryUsage().rss / 2 ** 20),
      live_tensors: currentBackend().liveBuffers(),
    })),
    pruneCallback(args.outputDir, args.saveTotalLimit, runId),
    nanGuardCallback(args.outputDir, runId, onNan),
    ...(r.hub ? [hubPushCallback(r.hub, (line) => console.log(line))] : []),
    ...(args.reportTo === "tensorboard"
      ? [tensorBoardCallback(args.loggingDir || defaultLoggingDir(args.outputDir, new Date(), hostname()))]
      : []),
  ];
};

/** The command that continues the run from `checkpoint`, with every flag it was given. */
const resumeCommand = <S extends ScriptFlagSpecs>(
  r: LabRun<S>,
  checkpoint: string,
  extra: string[] = [],
): string =>
  commandLine(r.def.script, [
    ...givenArgv(
      r.def.flags,
      r.plan.inv,
      new Set([...RUN_CONTROL_FLAGS, ...(extra.length ? ["learning-rate"] : [])]),
    ),
    "--resume-from-checkpoint",
    checkpoint,
    ...extra,
  ]);

/** The NaN guard's error line and the command to continue from the last good checkpoint. */
const nanMessage = <S extends ScriptFlagSpecs>(r: LabRun<S>, f: NanFailure): string => {
  const lower = ["--learning-rate", String(r.plan.inv.args.learningRate / 10)];
  const head = `loss became ${f.loss} at step ${f.step}; training stopped and the parameters that gave it were not kept.`;
  if (!f.lastGood)
    return `${head} No checkpoint was saved before it: start again with a lower --learning-rate (or a longer --warmup-steps) and --overwrite-output-dir.`;
  return `${head} ${f.lastGood} is the last checkpoint whose loss was finite; resume from it with a lower --learning-rate (or a longer --warmup-steps):\n  ${resumeCommand(r, f.lastGood, lower)}`;
};

/**
 * Trains, then prints and writes what the outcome calls for; returns the exit code (0 done, 130
 * interrupted with a checkpoint, 1 stopped by the NaN guard).
 */
export const trainLab = async <S extends ScriptFlagSpecs>(r: LabRun<S>): Promise<number> => {
  const { args } = r.plan.inv;
  const totalSteps = totalStepsOf(r.data.train.numBlocks, args);
  const start = await startingPoint(r, totalSteps);
  const stepsPerEpoch = stepsPerEpochOf(
    r.data.train.numBlocks,
    args.perDeviceTrainBatchSize,
    args.gradientAccumulationSteps,
  );
  console.log(
    `\n${start.model.kind === "gpt2" ? "GPT-2" : "BERT"} model size: ${(start.task.parameterCount / 1e6).toFixed(2)}M parameters (${r.pretrained ? `pretrained ${r.pretrained.name}` : args.model}, vocab ${r.tokenizer.vocabSize})`,
  );
  console.log(
    `Training ${totalSteps} steps (${(totalSteps / stepsPerEpoch).toFixed(2)} epochs of ${stepsPerEpoch} steps, batch ${args.perDeviceTrainBatchSize}${args.gradientAccumulationSteps > 1 ? ` × ${args.gradientAccumulationSteps} accumulated` : ""} × ${args.blockSize} tokens) on ${r.backend}\n`,
  );
  const trainingArgs = trainingArgsRecord(r.def.flags, r.plan.inv);
  const nonEmbeddingParameters = nonEmbeddingParameterCount(start.run.params);
  let nan: NanFailure | undefined;
  const outcome = await train(
    {
      task: start.task,
      optimizer: start.optimizer,
      data: r.data,
      args,
      callbacks: callbacksOf(r, start.run.state.run_id!, (f) => {
        nan = f;
      }),
      save: (dir, run) =>
        saveSnapshot(
          dir,
          {
            modelType: start.model.kind,
            config: start.model.config as never,
            ...run,
            tokenizer: r.tokenizer,
            trainingArgs,
            nonEmbeddingParameters,
          },
          start.optimizer,
        ),
    },
    start.run,
  );
  if (outcome.reason === "interrupted") {
    console.log(`\nSaved ${outcome.checkpoint}. Resume with:\n  ${resumeCommand(r, outcome.checkpoint!)}`);
    return 130;
  }
  if (outcome.reason === "non-finite-loss") {
    process.stderr.write(
      `error: ${nanMessage(r, nan ?? { step: outcome.failedStep ?? 0, loss: outcome.loss ?? Number.NaN })}\n`,
    );
    return EXIT_FAILURE;
  }
  await finish(r, start, outcome, trainingArgs, nonEmbeddingParameters);
  return 0;
};

/** The results the lab prints, and the output files. */
const finish = async <S extends ScriptFlagSpecs>(
  r: LabRun<S>,
  start: Start,
  outcome: TrainingOutcome<unknown>,
  trainingArgs: Record<string, unknown>,
  nonEmbeddingParameters: number,
): Promise<void> => {
  // absent only with --do-train without --do-eval
  const ev = outcome.finalEval;
  const wallSeconds = (performance.now() - r.wall0) / 1000;
  if (ev) {
    console.log(`\n${epochTable(outcome.state)}\n`);
    console.log(`Perplexity: ${ev.perplexity.toFixed(2)}`);
    console.log(
      `Word-level perplexity: ${ev.wordPerplexity.toFixed(2)} (validation: ${r.data.validationWords.toLocaleString("en-US")} words, ${r.data.validationTokens.toLocaleString("en-US")} tokens)`,
    );
  } else console.log("\nNot evaluated (--do-train without --do-eval).");
  const tps = outcome.state.log_history.at(-1)?.train_tokens_per_second;
  console.log(
    `Wall time: ${formatDuration(wallSeconds)}${tps ? `, ${tps.toLocaleString("en-US")} training tokens/s` : ""}`,
  );
  const { args } = r.plan.inv;
  await writeRunOutputs(args.outputDir, outcome.params, r.tokenizer, {
    title: r.def.title,
    modelType: start.model.kind,
    objective: r.def.objective,
    config: start.model.config as unknown as Record<string, unknown>,
    parameterCount: start.task.parameterCount,
    tokenizerDescription: r.def.tokenizerDescription(r.tokenizer),
    datasetConfig: args.datasetConfig,
    ...(args.trainFile ? { trainFile: args.trainFile } : {}),
    ...(r.pretrained ? { baseModel: r.pretrained.name } : {}),
    trainingArgs,
    state: outcome.state,
    ...(ev ? { eval: ev } : {}),
    wallSeconds,
    backend: r.backend,
    command: commandLine(r.def.script, givenArgv(r.def.flags, r.plan.inv, RUN_CONTROL_FLAGS)),
    nonEmbeddingParameters,
    trainSamples: r.data.train.numBlocks,
    evalSamples: r.data.validation.numBlocks,
    evalBatchSize: args.perDeviceEvalBatchSize,
    blockSize: args.blockSize,
  }).catch((e: unknown) => {
    throw e instanceof UserError ? e : ioError(`writing the outputs to ${args.outputDir}`, e);
  });
  console.log(`Saved model, tokenizer and logs to ${args.outputDir}`);
  if (r.hub) {
    const pushed = await pushRun(r.hub, args.outputDir, "End of training")();
    if (E.isLeft(pushed))
      throw new UserError(
        `${pushed.left.message}. The outputs are saved in ${args.outputDir}; upload them with: huggingface-cli upload ${r.hub.repoId} ${args.outputDir}`,
      );
    console.log(`Pushed ${pushed.right.files.length} files to ${pushed.right.commitUrl}`);
  }
  if (isProfiling()) console.log(`\n${formatProfile(outcome.state.global_step)}`);
};
