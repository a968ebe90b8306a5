/**
 * Autoregressive generation with GPT-2's KV cache: the prompt goes through the model once, then each
 * step feeds only the newest token and reuses the cached keys and values of the earlier ones, so a
 * step costs O(T) attention instead of re-running the whole sequence.
 */
import { evalContext, type Gpt2Cache, type Gpt2Model, type Gpt2Params } from "@scratchgrad/nn";
import { dispose, disposeReplaced, fromTypedArray, random, scope, sliceAxis } from "@scratchgrad/tensor";
import { type LogitsProcessorOptions, logitsProcessors } from "./logits-processors.js";
import { nextToken, type SamplingOptions } from "./sampling.js";

/** What to generate, HF's GenerationConfig names in camelCase. */
export interface GenerationOptions extends SamplingOptions, LogitsProcessorOptions {
  readonly maxNewTokens: number;
  readonly seed: number;
  readonly numReturnSequences: number;
  /** A sequence ends after this token (GPT-2's `<|endoftext|>`); undefined: only length stops it. */
  readonly eosTokenId: number | undefined;
  /**
   * A stopping criterion on a sequence's generated tokens, asked after each new token (HF's
   * `stop_strings` through `stopStringCriterion`); true ends that sequence.
   */
  readonly stopWhen?: (generated: readonly number[]) => boolean;
}

/** Why a sequence stopped. */
export type StopReason = "eos" | "stop-string" | "max-new-tokens" | "context-length";

/** The generated tokens of each returned sequence (prompt excluded), with timing. */
export interface Generation {
  readonly sequences: readonly (readonly number[])[];
  readonly stopReasons: readonly StopReason[];
  /** Forward passes run (the prompt counts as one). */
  readonly steps: number;
  readonly seconds: number;
}

/**
 * Generates `numReturnSequences` continuations of `promptIds` as one batch. Each token is chosen from
 * the logits after HF's logits processors (repetition penalty, no-repeat n-grams, bad words, min new
 * tokens) and, when sampling, its warpers. A sequence stops at `maxNewTokens`, after `eosTokenId`, when
 * `stopWhen` says so, or when prompt + continuation fill the context (`n_positions`); finished rows
 * keep feeding eos until all are done, as HF pads them. Sequence b's step s draws with
 * key foldIn(foldIn(key(seed), b), s), so a seed fixes the output.
 * @example
 * const { sequences } = generateTokens(gpt2(config), params, tokenizer.encode("The").ids, options);
 */
export const generateTokens = (
  model: Gpt2Model,
  params: Gpt2Params,
  promptIds: readonly number[],
  options: GenerationOptions,
): Generation => {
  const contextLength = model.config.n_positions;
  if (promptIds.length === 0) throw new RangeError("generateTokens: the prompt has no tokens");
  if (promptIds.length > contextLength)
    throw new RangeError(
      `generateTokens: the prompt has ${promptIds.length} tokens, more than the model's context of ${contextLength}`,
    );
  const t0 = performance.now();
  const B = options.numReturnSequences;
  const budget = Math.min(options.maxNewTokens, contextLength - promptIds.length);
  const sequenceKeys = Array.from({ length: B }, (_, b) => random.foldIn(random.key(options.seed), b));
  const sequences: number[][] = Array.from({ length: B }, () => []);
  const finished = new Array<boolean>(B).fill(false);
  const stoppedBy = new Array<StopReason | undefined>(B).fill(undefined);
  const processors = logitsProcessors(options);
  let input = Int32Array.from({ length: B * promptIds.length }, (_, i) => promptIds[i % promptIds.length]!);
  let cache: Gpt2Cache | undefined;
  let steps = 0;
  try {
    for (let step = 0; step < budget; step++) {
      const width = input.length / B;
      const ids = input;
      const past = cache;
      const result = scope(() => {
        const { logits, cache: next } = model.applyWithCache(
          params,
          fromTypedArray(ids, [B, width], "int32"),
          past,
          evalContext,
        ); // logits [B, width, V]
        return { last: sliceAxis(logits, 1, width - 1, width).data() as Float32Array, next }; // [B * V]
      });
      if (cache) disposeReplaced(cache, result.next);
      cache = result.next;
      steps++;
      const V = result.last.length / B;
      for (let b = 0; b < B; b++) {
        if (finished[b]) continue;
        const ids = [...promptIds, ...sequences[b]!];
        const row = processors(result.last.subarray(b * V, (b + 1) * V), {
          ids,
          promptLength: promptIds.length,
        });
        if (row.every((x) => x === Number.NEGATIVE_INFINITY))
          throw new RangeError(
            `generateTokens: every token is banned at step ${step} of sequence ${b}; relax no_repeat_ngram_size or bad_words_ids`,
          );
        const token = nextToken(row, options, random.foldIn(sequenceKeys[b]!, step));
        sequences[b]!.push(token);
        if (token === options.eosTokenId) stoppedBy[b] = "eos";
        else if (options.stopWhen?.(sequences[b]!)) stoppedBy[b] = "stop-string";
        if (stoppedBy[b]) finished[b] = true;
      }
      if (finished.every(Boolean)) break;
      input = Int32Array.from(sequences, (s, b) => (finished[b] ? (options.eosTokenId ?? 0) : s.at(-1)!));
    }
  } finally {
    if (cache) dispose(cache);
  }
  const stopReasons = sequences.map(
    (s, b): StopReason =>
      stoppedBy[b] ?? (s.length >= options.maxNewTokens ? "max-new-tokens" : "context-length"),
  );
  return { sequences, stopReasons, steps, seconds: (performance.now() - t0) / 1000 };
};
