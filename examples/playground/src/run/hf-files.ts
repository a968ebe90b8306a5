/**
 * The files a finished playground run hands back, byte for byte what the Node trainer writes into its
 * output directory: the model as `save_pretrained` leaves it (model.safetensors with `{format: "pt"}`,
 * config.json, generation_config.json), the tokenizer directory (tokenizer.json, tokenizer_config.json,
 * special_tokens_map.json) and the run's text files (training_args.json, trainer_state.json, the
 * results, loss.svg, README.md).
 */
import { configJson, generationConfigJson, toRawTensors, toStateDict } from "@scratchgrad/nn";
import { io } from "@scratchgrad/tensor";
import { hfSpecialTokensMap, hfTokenizerConfig, pythonJson } from "@scratchgrad/tokenizer";
import { commandLine, givenArgv, RUN_CONTROL_FLAGS } from "../../../src/train/lab-arguments.js";
import { modelMaxLength, nonEmbeddingParameterCount } from "../../../src/train/model-facts.js";
import { runResultTexts } from "../../../src/train/run-outputs.js";
import type { EvalResult, TrainingOutcome } from "../../../src/train/trainer.js";
import { type PreparedRun, trainingArgsOf } from "./session.js";

/** A file to download: its name and bytes (text files as UTF-8). */
export type HfFiles = Readonly<Record<string, Uint8Array>>;

const utf8 = new TextEncoder();

/** model.safetensors of `params` as nn's `saveCheckpoint` writes it (HF names, `format: "pt"`). */
export const safetensorsBytes = (params: unknown): Uint8Array =>
  io.serializeSafetensors(toRawTensors(toStateDict(params as never)), { format: "pt" });

/** What the run's files say about where and how it ran. */
export interface RunFacts {
  readonly backend: string;
  readonly wallSeconds: number;
  readonly datasetConfig: string;
}

/**
 * Every file of a finished run, in the order the Node trainer writes them.
 * @example const files = hfFiles(prepared, outcome, outcome.finalEval!, { backend: "wasm", … });
 */
export const hfFiles = (
  run: PreparedRun,
  outcome: TrainingOutcome<unknown>,
  evaluation: EvalResult,
  facts: RunFacts,
): HfFiles => {
  const { lab, model, tokenizer, inv } = run;
  const config = model.config as unknown as Record<string, unknown>;
  const nonEmbeddingParameters = nonEmbeddingParameterCount(outcome.params);
  const texts: Record<string, string> = {
    "config.json": configJson(model.kind, model.config as never),
    ...(model.kind === "gpt2" ? { "generation_config.json": generationConfigJson(model.config) } : {}),
    "tokenizer.json": tokenizer.toJson(),
    "tokenizer_config.json": pythonJson(
      hfTokenizerConfig(tokenizer, { modelMaxLength: modelMaxLength(model.kind, config) }),
    ),
    "special_tokens_map.json": pythonJson(hfSpecialTokensMap(tokenizer)),
    ...runResultTexts(
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
        nonEmbeddingParameters,
        trainSamples: run.data.train.numBlocks,
        evalSamples: run.data.validation.numBlocks,
        evalBatchSize: inv.args.perDeviceEvalBatchSize,
        blockSize: inv.args.blockSize,
      },
      inv.args.outputDir,
    ),
  };
  return {
    "model.safetensors": safetensorsBytes(outcome.params),
    ...Object.fromEntries(Object.entries(texts).map(([name, text]) => [name, utf8.encode(text)])),
  };
};
