/**
 * `pnpm --filter examples generate -- --model-dir output/gpt2-wikitext2 --prompt "The game"`: text
 * from a GPT-2 saved by train:gpt2, generated with the KV cache. Greedy by default; `--do-sample`
 * samples with temperature, top-k (HF's default 50) and top-p; HF's repetition penalty, no-repeat
 * n-grams, bad words, min new tokens and stop strings apply to both (Hugging Face `generate` semantics).
 */
import { gpt2 } from "@scratchgrad/nn";
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
import { type Generation, generateTokens } from "./generation/generate.js";
import { stopStringCriterion } from "./generation/stop-strings.js";

export const generateFlags = {
  "model-dir": { type: "string", default: "", help: "Directory of a model saved by train:gpt2 (required)" },
  prompt: {
    type: "string",
    default: "",
    help: "Text to continue (empty: start from the end-of-text token, <|endoftext|> or <eos>)",
  },
  "max-new-tokens": { type: "int", default: 50, min: 0, help: "Tokens to generate at most" },
  "do-sample": {
    type: "boolean",
    default: false,
    help: "Sample from the distribution (else greedy: the most likely token)",
  },
  temperature: { type: "float", default: 1, positive: true, help: "Sampling temperature (with --do-sample)" },
  "top-k": {
    type: "int",
    default: 50,
    min: 0,
    help: "Sample among the k most likely tokens (0: all; HF's default 50)",
  },
  "top-p": {
    type: "float",
    default: 1,
    positive: true,
    help: "Nucleus sampling: the most likely tokens holding probability p (1: all)",
  },
  "repetition-penalty": {
    type: "float",
    default: 1,
    positive: true,
    help: "Divide the positive logits (multiply the negative ones) of tokens already in the text by this (1: off)",
  },
  "no-repeat-ngram-size": {
    type: "int",
    default: 0,
    min: 0,
    help: "Never repeat an n-gram of this many tokens (0: off)",
  },
  "bad-words": {
    type: "string",
    default: "",
    help: 'Text never to generate: one string, or a JSON array of strings (e.g. \'["<unk>", " the end"]\'); each is tokenized without special tokens',
  },
  "bad-words-ids": {
    type: "string",
    default: "",
    help: "Token id sequences never to generate, as JSON (HF's bad_words_ids, e.g. [[1], [5, 6]])",
  },
  "min-new-tokens": {
    type: "int",
    default: 0,
    min: 0,
    help: "Ban the end-of-text token until this many tokens are generated (0: off)",
  },
  "stop-strings": {
    type: "string",
    default: "",
    help: "Stop a sequence once its text holds this string: one string, or a JSON array of strings",
  },
  seed: { type: "int", default: 42, help: "Seed of the sampling draws" },
  "num-return-sequences": {
    type: "int",
    default: 1,
    positive: true,
    help: "Continuations to generate (> 1 needs --do-sample)",
  },
  ...BACKEND_FLAGS,
} as const satisfies FlagSpecs;

const USAGE = "pnpm --filter examples generate -- --model-dir DIR --prompt TEXT [options]";

/** A flag holding one string or a JSON array of strings (`--stop-strings`, `--bad-words`). */
export const stringList = (flag: string, raw: string): string[] => {
  if (raw === "") return [];
  if (!raw.trimStart().startsWith("[")) return [raw];
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    throw new UserError(
      `--${flag}: not a JSON array of strings (${(e as Error).message}): ${raw}`,
      EXIT_USAGE,
    );
  }
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string" && v !== ""))
    throw new UserError(`--${flag}: expected a JSON array of non-empty strings, got ${raw}`, EXIT_USAGE);
  return value;
};

/** `--bad-words-ids`: HF's `bad_words_ids`, a JSON array of non-empty arrays of ids below `vocabSize`. */
export const badWordsIdsFlag = (raw: string, vocabSize: number): number[][] => {
  if (raw === "") return [];
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = undefined;
  }
  const ok =
    Array.isArray(value) &&
    value.every(
      (w) =>
        Array.isArray(w) &&
        w.length > 0 &&
        w.every((id) => Number.isSafeInteger(id) && id >= 0 && id < vocabSize),
    );
  if (!ok)
    throw new UserError(
      `--bad-words-ids: expected a JSON array of non-empty arrays of token ids in 0..${vocabSize - 1} (e.g. [[1], [5, 6]]), got ${raw}`,
      EXIT_USAGE,
    );
  return value as number[][];
};

/** The texts a run produced: prompt + continuation per sequence, and the raw generation. */
export interface GenerateResult {
  readonly texts: readonly string[];
  readonly promptIds: readonly number[];
  readonly generation: Generation;
}

/**
 * Parses the flags, loads the model and prints each sequence (prompt + continuation) and the speed.
 * Returns the exit code; `onResult` sees the generated ids (for tests).
 * @example await main(["--model-dir", "output/gpt2-wikitext2", "--prompt", "The"]);
 */
export const main = async (
  argv: readonly string[],
  output: CliOutput = processOutput,
  onResult?: (result: GenerateResult) => void,
): Promise<number> =>
  reportErrors(output, async () => {
    const { values: f, help } = parseCliFlags(generateFlags, argv);
    if (help) {
      output.out(formatHelp(USAGE, "Generates text with a GPT-2 saved by train:gpt2.", generateFlags));
      return 0;
    }
    if (f.topP > 1) throw new UserError(`--top-p: must be in (0, 1], got ${f.topP}`, EXIT_USAGE);
    if (f.numReturnSequences > 1 && !f.doSample)
      throw new UserError(
        "--num-return-sequences > 1 needs --do-sample (greedy decoding gives one sequence)",
        EXIT_USAGE,
      );
    if (f.modelDir === "") throw new UserError("--model-dir is required (see --help)", EXIT_USAGE);
    const stopStrings = stringList("stop-strings", f.stopStrings);
    const badWordTexts = stringList("bad-words", f.badWords);
    const { close } = await setupBackend(f.backend as BackendChoice, f.threads);
    try {
      const { checkpoint, tokenizer } = await loadSavedModel(f.modelDir);
      if (checkpoint.modelType !== "gpt2")
        throw new UserError(
          `${f.modelDir} holds a ${checkpoint.modelType.toUpperCase()} model; generate needs a GPT-2 (use fill-mask for BERT)`,
        );
      const eos = tokenizer.tokenToId("<|endoftext|>") ?? tokenizer.eosTokenId;
      // without special tokens, as HF's text-generation pipeline: a word-level tokenizer would end the
      // prompt with <eos> (its end of line) and the model would start a new paragraph
      const encoded = tokenizer.encode(f.prompt, { addSpecialTokens: false }).ids;
      const promptIds = encoded.length > 0 ? encoded : eos !== undefined ? [eos] : [];
      if (promptIds.length === 0)
        throw new UserError("--prompt is empty and the tokenizer has no <|endoftext|> to start from");
      const context = checkpoint.config.n_positions;
      if (promptIds.length > context)
        throw new UserError(
          `--prompt is ${promptIds.length} tokens, longer than the model's context of ${context} (n_positions); shorten it`,
        );
      // HF's advice for bad words: the words' own tokens, without special tokens around them
      const badWordsIds = [
        ...badWordTexts.map((w) => tokenizer.encode(w, { addSpecialTokens: false }).ids),
        ...badWordsIdsFlag(f.badWordsIds, checkpoint.config.vocab_size),
      ].filter((ids) => ids.length > 0);
      const decode = (ids: readonly number[]) => tokenizer.decode(ids, { skipSpecialTokens: true });
      const generation = generateTokens(gpt2(checkpoint.config), checkpoint.params, promptIds, {
        maxNewTokens: f.maxNewTokens,
        doSample: f.doSample,
        temperature: f.temperature,
        topK: f.topK,
        topP: f.topP,
        seed: f.seed,
        numReturnSequences: f.numReturnSequences,
        eosTokenId: eos,
        repetitionPenalty: f.repetitionPenalty,
        noRepeatNgramSize: f.noRepeatNgramSize,
        badWordsIds,
        minNewTokens: f.minNewTokens,
        stopWhen: stopStringCriterion(stopStrings, decode, promptIds),
      });
      // HF's text-generation pipeline: the prompt as typed, then the decoded text past the decoded prompt
      const promptText = tokenizer.decode(promptIds, { skipSpecialTokens: true });
      const texts = generation.sequences.map(
        (s) =>
          f.prompt +
          tokenizer.decode([...promptIds, ...s], { skipSpecialTokens: true }).slice(promptText.length),
      );
      texts.forEach((text, i) => {
        if (texts.length > 1) output.out(`--- sequence ${i + 1} (${generation.stopReasons[i]}) ---`);
        output.out(text);
      });
      const newTokens = generation.sequences.reduce((n, s) => n + s.length, 0);
      output.err(
        `${newTokens} new token(s) in ${generation.seconds.toFixed(2)} s: ${(newTokens / Math.max(generation.seconds, 1e-9)).toFixed(1)} tokens/s (prompt ${promptIds.length} tokens, ${generation.steps} forward passes, stopped by ${[...new Set(generation.stopReasons)].join(", ") || "max-new-tokens"})`,
      );
      onResult?.({ texts, promptIds, generation });
      return 0;
    } finally {
      await close();
    }
  });

runIfEntryPoint(import.meta.url, main);
