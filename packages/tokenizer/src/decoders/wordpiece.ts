/** Undoes BERT's spacing around punctuation and English contractions, as HF's `cleanup` does. */
export const cleanup = (s: string): string =>
  s
    .replaceAll(" .", ".")
    .replaceAll(" ?", "?")
    .replaceAll(" !", "!")
    .replaceAll(" ,", ",")
    .replaceAll(" ' ", "'")
    .replaceAll(" n't", "n't")
    .replaceAll(" 'm", "'m")
    .replaceAll(" do not", " don't")
    .replaceAll(" 's", "'s")
    .replaceAll(" 've", "'ve")
    .replaceAll(" 're", "'re");

/**
 * HF's WordPiece decoder: a token that starts with the prefix is glued to the previous one (prefix
 * removed), any other is preceded by a space; with `cleanup`, each token is then cleaned up on its own.
 *
 * @example
 * wordPieceDecoder("##", true)(["play", "##ing", "cards", "."]); // "playing cards."
 */
export const wordPieceDecoder =
  (prefix: string, withCleanup: boolean) =>
  (tokens: readonly string[]): string =>
    tokens
      .map((token, i) => {
        const t = i === 0 ? token : token.startsWith(prefix) ? token.slice(prefix.length) : ` ${token}`;
        return withCleanup ? cleanup(t) : t;
      })
      .join("");
