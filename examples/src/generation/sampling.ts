/**
 * Choosing the next token from a model's last-position logits, on the host, as Hugging Face's
 * `generate` does: greedy (argmax) by default; with `doSample`, the logits processors in HF's order —
 * temperature, then top-k, then top-p (nucleus) — and one draw from the softmax of what is left.
 * Filters return new arrays where removed tokens are −∞ (probability 0), so they compose with `flow`.
 */
import { type random, randomArrays } from "@scratchgrad/tensor";
import { flow } from "fp-ts/lib/function.js";

/** Logits of one position over the vocabulary. */
export type Logits = ArrayLike<number>;

/** HF's GenerationConfig sampling knobs. */
export interface SamplingOptions {
  /** Sample (true) or take the argmax (false, HF's default `do_sample=False`). */
  readonly doSample: boolean;
  /** Divides the logits; < 1 sharpens, > 1 flattens. Must be > 0. */
  readonly temperature: number;
  /** Keep only the k most likely tokens; 0 disables. */
  readonly topK: number;
  /** Keep the smallest set of most likely tokens whose probability reaches p; 1 disables. */
  readonly topP: number;
}

/** Token indices by descending logit, ties by ascending index (so every filter is deterministic). */
const rankByLogit = (logits: Logits): number[] =>
  Array.from({ length: logits.length }, (_, i) => i).sort((a, b) => logits[b]! - logits[a]! || a - b);

/**
 * Index of the largest logit (the first one on ties, as `torch.argmax`).
 * @example argmax([0.1, 2, 2]) // 1
 */
export const argmax = (logits: Logits): number => {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
  return best;
};

/**
 * softmax(logits) in float64; −∞ entries get probability 0.
 * @example softmax([0, Math.log(3)]) // [0.25, 0.75]
 */
export const softmax = (logits: Logits): Float64Array => {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]!);
  const p = new Float64Array(logits.length);
  let total = 0;
  // exp(x − max) keeps the largest term at 1: no overflow whatever the logits' scale
  for (let i = 0; i < logits.length; i++) {
    p[i] = Math.exp(logits[i]! - max);
    total += p[i]!;
  }
  for (let i = 0; i < p.length; i++) p[i]! /= total;
  return p;
};

/**
 * HF's TemperatureLogitsWarper: logits / temperature.
 * @example applyTemperature(0.5)([1, 2]) // [2, 4]
 */
export const applyTemperature =
  (temperature: number) =>
  (logits: Logits): Float64Array => {
    if (!(temperature > 0)) throw new RangeError(`temperature must be > 0, got ${temperature}`);
    return Float64Array.from(logits, (x) => x / temperature);
  };

/**
 * HF's TopKLogitsWarper: every token but the k most likely becomes −∞ (k = 0 or ≥ vocabulary: no-op).
 * Ties at the k-th place go to the lower index, so exactly k tokens survive (HF keeps all tied ones).
 * @example topKFilter(2)([1, 3, 2]) // [-Infinity, 3, 2]
 */
export const topKFilter =
  (k: number) =>
  (logits: Logits): Float64Array => {
    const out = Float64Array.from(logits);
    if (k <= 0 || k >= logits.length) return out;
    for (const i of rankByLogit(logits).slice(k)) out[i] = Number.NEGATIVE_INFINITY;
    return out;
  };

/**
 * HF's TopPLogitsWarper (nucleus sampling, Holtzman et al. 2019): keeps the smallest set of most
 * likely tokens whose probabilities sum to ≥ p, and at least one token; p ≥ 1 is a no-op.
 * @example topPFilter(0.7)([Math.log(0.6), Math.log(0.3), Math.log(0.1)]) // [log .6, log .3, -Infinity]
 */
export const topPFilter =
  (p: number) =>
  (logits: Logits): Float64Array => {
    const out = Float64Array.from(logits);
    if (p >= 1) return out;
    const probs = softmax(logits);
    let mass = 0;
    for (const i of rankByLogit(logits)) {
      // a token stays while the more likely ones before it have not yet reached p
      if (mass >= p) out[i] = Number.NEGATIVE_INFINITY;
      mass += probs[i]!;
    }
    return out;
  };

/**
 * The sampling logits processors in HF's order: temperature → top-k → top-p.
 * @example processLogits({ doSample: true, temperature: 0.7, topK: 50, topP: 0.95 })(logits)
 */
export const processLogits = (
  options: Omit<SamplingOptions, "doSample">,
): ((logits: Logits) => Float64Array) =>
  flow(applyTemperature(options.temperature), topKFilter(options.topK), topPFilter(options.topP));

/**
 * The token where the cumulative probability passes `u` ∈ [0, 1) (inverse-CDF sampling); tokens of
 * probability 0 are never chosen.
 * @example sampleFromLogits([0, 0], 0.75) // 1
 */
export const sampleFromLogits = (logits: Logits, u: number): number => {
  const probs = softmax(logits);
  let last = argmax(logits);
  let cumulative = 0;
  for (let i = 0; i < probs.length; i++) {
    if (probs[i] === 0) continue;
    cumulative += probs[i]!;
    last = i;
    if (u < cumulative) return i;
  }
  return last; // u beyond the rounded total: the last possible token
};

/**
 * The next token: the argmax, or with `doSample` one draw from the processed logits using one
 * uniform number from `key` (same key, same token).
 * @example nextToken(logits, { doSample: true, temperature: 1, topK: 0, topP: 0.9 }, random.key(42))
 */
export const nextToken = (logits: Logits, options: SamplingOptions, key: random.Key): number =>
  options.doSample
    ? sampleFromLogits(processLogits(options)(logits), randomArrays.uniform(key, 1)[0]!)
    : argmax(logits);
