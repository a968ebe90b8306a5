/**
 * What a finished run leaves in its output directory, as Hugging Face's Trainer and run_clm leave it:
 * the model (`save_pretrained`), the tokenizer directory files, and the text files of run-outputs.ts.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { saveCheckpoint } from "@scratchgrad/nn";
import { formatTokenizerError, savePretrainedTokenizer, type Tokenizer } from "@scratchgrad/tokenizer";
import * as E from "fp-ts/lib/Either.js";
import { modelMaxLength } from "./model-facts.js";
import { type RunSummary, runResultTexts } from "./run-outputs.js";

export { epochTable, evalMetrics, type RunSummary, runResultTexts, trainMetrics } from "./run-outputs.js";

const unwrap = <L, R>(what: string, e: E.Either<L, R>): R => {
  if (E.isLeft(e)) throw new Error(`${what}: ${(e.left as { message?: string }).message ?? String(e.left)}`);
  return e.right;
};

/**
 * Writes what a user needs to use and share the model: model.safetensors, config.json (and GPT-2's
 * generation_config.json), tokenizer.json, tokenizer_config.json, special_tokens_map.json,
 * training_args.json, trainer_state.json, train_results.json, eval_results.json (when the run
 * evaluated), all_results.json,
 * loss.svg and the model card README.md (metrics.jsonl is appended during training).
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
  const tokenizerFiles = await savePretrainedTokenizer(tokenizer, outputDir, {
    modelMaxLength: modelMaxLength(s.modelType, s.config),
  })();
  if (E.isLeft(tokenizerFiles))
    throw new Error(`saving the tokenizer: ${formatTokenizerError(tokenizerFiles.left)}`);
  for (const [name, text] of Object.entries(runResultTexts(s, outputDir)))
    await writeFile(join(outputDir, name), text);
};
