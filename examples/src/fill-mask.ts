/**
 * `pnpm --filter examples fill-mask -- --model-dir output/bert-wikitext2 --text "The [MASK] began ."`:
 * Hugging Face's fill-mask pipeline for a BERT saved by train:bert — for each [MASK], the most likely
 * tokens with their probabilities and the text with each filled in.
 */
import { bert } from "@scratchgrad/nn";
import { type BackendChoice, setupBackend } from "./cli/backend.js";
import { BACKEND_FLAGS } from "./cli/backend-choices.js";
import { type FlagSpecs, formatHelp } from "./cli/flags.js";
import {
  type CliOutput,
  EXIT_USAGE,
  parseCliFlags,
  processOutput,
  reportErrors,
  runIfEntryPoint,
  UserError,
} from "./cli/main.js";
import { loadSavedModel } from "./cli/model-dir.js";
import { fillMask, type MaskPrediction } from "./generation/fill-mask.js";

export { type FillMaskCandidate, fillMask, type MaskPrediction } from "./generation/fill-mask.js";

export const fillMaskFlags = {
  "model-dir": { type: "string", default: "", help: "Directory of a model saved by train:bert (required)" },
  text: { type: "string", default: "", help: "Text with one or more [MASK] tokens (required)" },
  "top-k": { type: "int", default: 5, positive: true, help: "Candidates shown per [MASK]" },
  ...BACKEND_FLAGS,
} as const satisfies FlagSpecs;

const USAGE = 'pnpm --filter examples fill-mask -- --model-dir DIR --text "… [MASK] …" [options]';

/** The predictions as a plain-text table per mask. */
export const formatPredictions = (predictions: readonly MaskPrediction[]): string =>
  predictions
    .map((p, m) => {
      const rows = p.candidates.map(
        (c, r) =>
          `${String(r + 1).padStart(4)} | ${c.tokenStr.padEnd(16)} | ${c.score.toFixed(4).padStart(6)} | ${c.sequence}`,
      );
      const header =
        predictions.length > 1 ? `[MASK] ${m + 1} of ${predictions.length} (token ${p.position})\n` : "";
      return `${header}rank | token            |  score | sequence\n-----|------------------|--------|---------\n${rows.join("\n")}`;
    })
    .join("\n\n");

/**
 * Parses the flags, loads the BERT and prints the table. Returns the exit code; `onResult` sees the
 * predictions (for tests).
 * @example await main(["--model-dir", "output/bert-wikitext2", "--text", "The [MASK] began ."]);
 */
export const main = async (
  argv: readonly string[],
  output: CliOutput = processOutput,
  onResult?: (predictions: readonly MaskPrediction[]) => void,
): Promise<number> =>
  reportErrors(output, async () => {
    const { values: f, help } = parseCliFlags(fillMaskFlags, argv);
    if (help) {
      output.out(formatHelp(USAGE, "Fills each [MASK] with a BERT saved by train:bert.", fillMaskFlags));
      return 0;
    }
    if (f.modelDir === "") throw new UserError("--model-dir is required (see --help)", EXIT_USAGE);
    if (!f.text.includes("[MASK]"))
      throw new UserError('--text has no [MASK]; e.g. --text "The [MASK] began development ."', EXIT_USAGE);
    const { close } = await setupBackend(f.backend as BackendChoice, f.threads);
    try {
      const { checkpoint, tokenizer } = await loadSavedModel(f.modelDir);
      if (checkpoint.modelType !== "bert")
        throw new UserError(
          `${f.modelDir} holds a GPT-2 model; fill-mask needs a BERT (use generate for GPT-2)`,
        );
      let predictions: MaskPrediction[];
      try {
        predictions = fillMask(bert(checkpoint.config), checkpoint.params, tokenizer, f.text, f.topK);
      } catch (e) {
        if (e instanceof RangeError) throw new UserError(`--text: ${e.message}`);
        throw e;
      }
      output.out(formatPredictions(predictions));
      onResult?.(predictions);
      return 0;
    } finally {
      await close();
    }
  });

runIfEntryPoint(import.meta.url, main);
