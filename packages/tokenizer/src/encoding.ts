/** The result of encoding one text. */
export interface Encoding {
  /** Token ids, the model's input. */
  readonly ids: number[];
  /** The tokens as strings (vocabulary entries; byte-level ones read "Ġhello"). */
  readonly tokens: string[];
  /** 1 where the post-processor added a special token ([CLS], [SEP]); 0 elsewhere, as in HF. */
  readonly specialTokensMask: number[];
  /**
   * With `{ offsets: true }`: each token's [start, end) in the input text, in UTF-16 units (so
   * `text.slice(start, end)`; HF reports code points instead). Added special tokens get [0, 0].
   */
  readonly offsets?: [number, number][];
}

export interface EncodeOptions {
  /** Let the post-processor add its special tokens (BERT's [CLS] ... [SEP]). Default true, as in HF. */
  readonly addSpecialTokens?: boolean;
  /** Also compute `offsets` (costs some speed). Default false. */
  readonly offsets?: boolean;
}

export interface DecodeOptions {
  /** Leave out special tokens ([CLS], <|endoftext|>, ...). Default false. */
  readonly skipSpecialTokens?: boolean;
}
