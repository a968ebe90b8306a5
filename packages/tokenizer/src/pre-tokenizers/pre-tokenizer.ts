/** Receives one word: the UTF-16 range [start, end) of the text being split. */
export type WordSink = (start: number, end: number) => void;

/**
 * A pre-tokenizer splits (normalized) text into words; the model then tokenizes each word on its own.
 * Words are reported as ranges, in order, so no substring is made unless the caller wants one.
 */
export interface PreTokenizer {
  readonly split: (text: string, sink: WordSink) => void;
  /**
   * Words reach the model as UTF-8 bytes spelled in the byte-level alphabet (HF's ByteLevel
   * pre-tokenizer does this conversion itself; here the model wrapper does it, after the word cache).
   */
  readonly byteLevel: boolean;
  /** Prepend " " to each text that does not start with one (ByteLevel `add_prefix_space`). */
  readonly addPrefixSpace: boolean;
}
