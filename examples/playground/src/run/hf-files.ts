/**
 * The files a finished playground run hands back, byte for byte what the Node trainer writes into its
 * output directory: the model as `save_pretrained` leaves it (nn's `checkpointBlobs`: config.json,
 * generation_config.json for GPT-2, model.safetensors), the tokenizer directory (tokenizer's
 * `pretrainedTokenizerFiles`) and the run's text files (`runResultTexts`: training_args.json,
 * trainer_state.json, the results, loss.svg, README.md).
 */
import { checkpointBlobs } from "@scratchgrad/nn";
import { formatTokenizerError, pretrainedTokenizerFiles } from "@scratchgrad/tokenizer";
import * as E from "fp-ts/lib/Either.js";
import { commandLine, givenArgv, RUN_CONTROL_FLAGS } from "../../../src/train/lab-arguments.js";
import { modelMaxLength, nonEmbeddingParameterCount } from "../../../src/train/model-facts.js";
import { runResultTexts } from "../../../src/train/run-outputs.js";
import type { EvalResult, TrainingOutcome } from "../../../src/train/trainer.js";
import { type PreparedRun, trainingArgsOf } from "./session.js";

/** The files to download, by name. */
export type HfFiles = ReadonlyMap<string, Blob>;

/** What the run's files say about where and how it ran. */
export interface RunFacts {
  readonly backend: string;
  readonly wallSeconds: number;
  readonly datasetConfig: string;
}

const text = (content: string) => new Blob([content], { type: "text/plain" });

/**
 * Every file of a finished run; a Left says which could not be made.
 * @example const files = hfFiles(prepared, outcome, outcome.finalEval!, { backend: "wasm", … });
 */
export const hfFiles = (
  run: PreparedRun,
  outcome: TrainingOutcome<unknown>,
  evaluation: EvalResult,
  facts: RunFacts,
): E.Either<string, HfFiles> => {
  const { lab, model, tokenizer, inv } = run;
  const config = model.config as unknown as Record<string, unknown>;
  const modelFiles = checkpointBlobs({
    modelType: model.kind,
    config: model.config as never,
    params: outcome.params as never,
  });
  if (E.isLeft(modelFiles)) return E.left(`saving the model: ${JSON.stringify(modelFiles.left)}`);
  const tokenizerFiles = pretrainedTokenizerFiles(tokenizer, {
    modelMaxLength: modelMaxLength(model.kind, config),
  });
  if (E.isLeft(tokenizerFiles))
    return E.left(`saving the tokenizer: ${formatTokenizerError(tokenizerFiles.left)}`);
  const texts = runResultTexts(
    {
      title: lab.title,
      modelType: model.kind,
      objective: lab.objective,
      config,
      parameterCount: run.task.parameterCount,
      tokenizerDescription: lab.tokenizerDescription(tokenizer),
      datasetConfig: facts.datasetConfig,
      trainingArgs: trainingArgsOf(run),
      state: outcome.state,
      eval: evaluation,
      wallSeconds: facts.wallSeconds,
      backend: facts.backend,
      command: commandLine(lab.script, givenArgv(lab.flags, inv, RUN_CONTROL_FLAGS)),
      nonEmbeddingParameters: nonEmbeddingParameterCount(outcome.params),
      trainSamples: run.data.train.numBlocks,
      evalSamples: run.data.validation.numBlocks,
      evalBatchSize: inv.args.perDeviceEvalBatchSize,
      blockSize: inv.args.blockSize,
    },
    inv.args.outputDir,
  );
  return E.right(
    new Map([
      ...modelFiles.right,
      ...[...tokenizerFiles.right].map(([name, content]) => [name, text(content)] as const),
      ...Object.entries(texts).map(([name, content]) => [name, text(content)] as const),
    ]),
  );
};
