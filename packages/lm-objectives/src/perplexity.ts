/**
 * Perplexities. Token-level perplexity = exp(mean NLL per predicted token) is what Hugging Face's
 * lab reports (`math.exp(eval_loss)`); it depends on the tokenizer. Word-level perplexity =
 * exp(total NLL / number of words of the split) is comparable across tokenizers (WikiText-2's
 * classic benchmark counts 217,646 validation words).
 */

/** exp(mean loss), Infinity on overflow (as Python's math.exp raises: reported, not thrown). */
export const perplexity = (meanLoss: number): number => Math.exp(meanLoss);

/**
 * exp(total NLL over the split's tokens / number of words).
 * @param totalNll sum of the per-token negative log-likelihoods (nats) over the whole split
 * @param words word count of the split (see `countWords` in @scratchgrad/datasets)
 */
export const wordPerplexity = (totalNll: number, words: number): number => {
  if (!(words > 0)) throw new RangeError(`wordPerplexity: the word count must be positive, got ${words}`);
  return Math.exp(totalNll / words);
};
