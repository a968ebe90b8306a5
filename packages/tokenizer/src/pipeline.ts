import { type AddedTokenMatcher, addedTokenMatcher } from "./added-vocabulary.js";
import type { TokenizerConfig } from "./config.js";
import { buildNormalizer, type Normalizer } from "./normalizers/index.js";
import { buildPreTokenizer, type PreTokenizer } from "./pre-tokenizers/index.js";
import { codePointAt, unitLength } from "./unicode/char-classes.js";

/**
 * Maps a UTF-16 range of a piece of text the pipeline produced back to the input text: through the
 * normalizer's alignments when there are any, then shifted by where the piece's segment starts.
 */
export class SpanMapper {
  constructor(
    /** Per unit of the piece, its span relative to `base`; null: unit u is [u, u + 1). */
    readonly align: Int32Array | null,
    readonly base: number,
  ) {}
  map(start: number, end: number): [number, number] {
    if (this.align === null) return [this.base + start, this.base + end];
    if (end <= start) return [this.base + this.align[2 * start]!, this.base + this.align[2 * start]!];
    return [this.base + this.align[2 * start]!, this.base + this.align[2 * (end - 1) + 1]!];
  }
}

/** What the pipeline reports while walking a text, in text order. */
export interface PipelineVisitor {
  /** An added token found in the text: its id, its text, and (when tracking) where it is in the input. */
  added(id: number, content: string, start: number, end: number): void;
  /**
   * A word for the model. `word` is as the pre-tokenizer produced it (not yet in the byte-level alphabet);
   * when tracking, `mapper.map(wordStart + a, wordStart + b)` maps a range of the word back to the input.
   */
  word(word: string, mapper: SpanMapper | null, wordStart: number): void;
}

/**
 * The first three stages of HF's pipeline, shared by `encode` and the trainers: extract added tokens
 * matched in the raw text; normalize each remaining segment; extract added tokens matched in normalized
 * text; pre-tokenize each remaining piece into words.
 */
export const buildPipeline = (config: Omit<TokenizerConfig, "model" | "post_processor" | "decoder">) => {
  const normalizer: Normalizer | null = config.normalizer ? buildNormalizer(config.normalizer) : null;
  const preTokenizer: PreTokenizer | null = config.pre_tokenizer
    ? buildPreTokenizer(config.pre_tokenizer)
    : null;
  const raw = config.added_tokens.filter((t) => !t.normalized);
  const normalized = config.added_tokens.filter((t) => t.normalized);
  const matchRaw: AddedTokenMatcher = addedTokenMatcher(
    raw,
    raw.map((t) => t.content),
  );
  const matchNormalized: AddedTokenMatcher | null =
    normalized.length === 0
      ? null
      : addedTokenMatcher(
          normalized,
          normalized.map((t) => (normalizer ? normalizer(t.content, false).text : t.content)),
        );
  const addPrefixSpace = preTokenizer?.addPrefixSpace ?? false;

  const wordsOf = (piece: string, mapper: SpanMapper | null, visitor: PipelineVisitor) => {
    if (addPrefixSpace && piece.length > 0 && piece.charCodeAt(0) !== 32) {
      piece = ` ${piece}`;
      if (mapper) {
        // The added space stands for the whole first character (as in HF's NormalizedString::prepend).
        const n = piece.length - 1;
        const align = new Int32Array(2 * (n + 1));
        for (let u = 0; u < n; u++) {
          const [s, e] = mapper.map(u, u + 1);
          align[2 * (u + 1)] = s - mapper.base;
          align[2 * (u + 1) + 1] = e - mapper.base;
        }
        const first = unitLength(codePointAt(piece, 1));
        align[0] = align[2]!;
        align[1] = align[2 * first + 1]!;
        mapper = new SpanMapper(align, mapper.base);
      }
    }
    if (preTokenizer === null) {
      if (piece.length > 0) visitor.word(piece, mapper, 0);
      return;
    }
    preTokenizer.split(piece, (s, e) => visitor.word(piece.slice(s, e), mapper, s));
  };

  /** Walks `text`; with `track`, the visitor gets what it needs to compute offsets. */
  const walk = (text: string, track: boolean, visitor: PipelineVisitor): void => {
    for (const seg of matchRaw(text)) {
      const segText = seg.start === 0 && seg.end === text.length ? text : text.slice(seg.start, seg.end);
      if (seg.id >= 0) {
        visitor.added(seg.id, segText, seg.start, seg.end);
        continue;
      }
      const norm = normalizer ? normalizer(segText, track) : { text: segText, align: null };
      const pieces = matchNormalized
        ? matchNormalized(norm.text)
        : [{ start: 0, end: norm.text.length, id: -1 }];
      for (const p of pieces) {
        const mapper = !track
          ? null
          : norm.align === null
            ? new SpanMapper(null, seg.start + p.start)
            : new SpanMapper(norm.align.subarray(2 * p.start, 2 * p.end), seg.start);
        const pieceText =
          p.start === 0 && p.end === norm.text.length ? norm.text : norm.text.slice(p.start, p.end);
        if (p.id >= 0) {
          const [s, e] = mapper ? mapper.map(0, pieceText.length) : [0, 0];
          visitor.added(p.id, pieceText, s, e);
        } else {
          wordsOf(pieceText, mapper, visitor);
        }
      }
    }
  };

  return { walk, byteLevel: preTokenizer?.byteLevel ?? false };
};
