import type { Dataset, Row } from "../dataset/dataset.js";
import { mapBatched } from "../dataset/ops.js";

/** One text's encoding, as a tokenizer's batch encode returns it (no padding). */
export interface Encoding {
  readonly ids: ArrayLike<number>;
  /** 1 where the tokenizer added a special token (`[CLS]`, `[SEP]`), 0 elsewhere; same length as `ids`. */
  readonly specialTokensMask: ArrayLike<number>;
  /** Defaults to all ones, which is what an unpadded encoding has. */
  readonly attentionMask?: ArrayLike<number>;
}

/** Any batch encoder: `tokenizer.encodeBatch`, or a stand-in in tests. */
export type EncodeBatch = (texts: readonly string[]) => readonly Encoding[];

/** A tokenized row; column names are Hugging Face's, so tables read like the lab's. */
export type TokenizedRow = {
  readonly input_ids: Int32Array;
  readonly attention_mask: Uint8Array;
  readonly special_tokens_mask: Uint8Array;
};

/** Options of {@link tokenizeDataset}. */
export interface TokenizeOptions {
  /** The column holding the text (default "text"); it is removed, as the lab's `remove_columns=["text"]`. */
  readonly textColumn?: string;
  /** Texts per `encodeBatch` call (default 1000); does not change the result. */
  readonly batchSize?: number;
}

const checkLength = (name: string, got: number, want: number, row: number) => {
  if (got !== want) {
    throw new RangeError(
      `tokenizeDataset: row ${row}: ${name} has ${got} entries but ids has ${want}; the encoder must return equal lengths`,
    );
  }
};

/**
 * The lab's `datasets.map(tokenize_function, batched=True, remove_columns=["text"])`: encodes the text
 * column with `encodeBatch` and stores each row's ids and masks as typed arrays.
 *
 * @example
 * const tokenized = tokenizeDataset((texts) => texts.map((t) => tokenizer.encode(t)))(wikitext.train);
 * tokenized.columnNames; // ["input_ids", "attention_mask", "special_tokens_mask"]
 */
export const tokenizeDataset =
  (encodeBatch: EncodeBatch, options: TokenizeOptions = {}) =>
  <R extends Row>(dataset: Dataset<R>): Dataset<TokenizedRow> => {
    const textColumn = options.textColumn ?? "text";
    if (!dataset.columnNames.includes(textColumn)) {
      throw new RangeError(
        `tokenizeDataset: no column "${textColumn}"; the dataset has ${JSON.stringify(dataset.columnNames)}; pass textColumn`,
      );
    }
    return mapBatched(
      (batch: Record<string, readonly unknown[]>, start: number) => {
        const texts = batch[textColumn] as readonly string[];
        const encodings = encodeBatch(texts);
        if (encodings.length !== texts.length) {
          throw new RangeError(
            `tokenizeDataset: encodeBatch returned ${encodings.length} encodings for ${texts.length} texts`,
          );
        }
        const inputIds: Int32Array[] = [];
        const attentionMask: Uint8Array[] = [];
        const specialTokensMask: Uint8Array[] = [];
        encodings.forEach((e, i) => {
          const n = e.ids.length;
          checkLength("specialTokensMask", e.specialTokensMask.length, n, start + i);
          if (e.attentionMask) checkLength("attentionMask", e.attentionMask.length, n, start + i);
          inputIds.push(Int32Array.from(e.ids));
          specialTokensMask.push(Uint8Array.from(e.specialTokensMask));
          attentionMask.push(e.attentionMask ? Uint8Array.from(e.attentionMask) : new Uint8Array(n).fill(1));
        });
        return { input_ids: inputIds, attention_mask: attentionMask, special_tokens_mask: specialTokensMask };
      },
      { batchSize: options.batchSize ?? 1000, removeColumns: dataset.columnNames as never[] },
    )(dataset as Dataset<Record<string, unknown>>) as unknown as Dataset<TokenizedRow>;
  };
