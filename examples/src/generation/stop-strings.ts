/**
 * HF's `stop_strings` (StopStringCriteria): generation stops as soon as a generated token completes
 * one of the strings in the decoded text. The string may start inside the prompt's last characters or
 * end inside the newest token (HF's "overhangs"); only an occurrence that the prompt alone already
 * held does not count. The output keeps the whole text up to and including the token that completed
 * the string, as HF's does.
 */

/** Decodes ids to text (the tokenizer's `decode`). */
export type Decode = (ids: readonly number[]) => string;

/**
 * A stopping test for `generateTokens`: true once `prompt + generated` decodes to a text holding one of
 * `stopStrings` at a place that ends past the decoded prompt.
 * @example
 * const stop = stopStringCriterion(["\n"], (ids) => tok.decode(ids), promptIds);
 * stop(generatedSoFar) // true when the newest token brought a line break
 */
export const stopStringCriterion = (
  stopStrings: readonly string[],
  decode: Decode,
  promptIds: readonly number[],
): ((generated: readonly number[]) => boolean) => {
  const strings = stopStrings.filter((s) => s.length > 0);
  if (strings.length === 0) return () => false;
  const promptText = decode(promptIds);
  return (generated) => {
    const text = decode([...promptIds, ...generated]);
    // an occurrence must end after the prompt's text: start the search where one could first do so
    return strings.some((s) => text.indexOf(s, Math.max(0, promptText.length - s.length + 1)) !== -1);
  };
};
