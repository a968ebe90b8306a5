/**
 * A normalizer's output: the new text plus, when offsets are wanted, where each of its UTF-16 units came
 * from in the input (HF's NormalizedString alignments, reduced to what offsets need).
 */
export interface NormalizedString {
  readonly text: string;
  /**
   * `[align[2 * i], align[2 * i + 1])` is the input span of unit `i` of `text`; `null` when not tracked or
   * when `text` is the input unchanged.
   */
  readonly align: Int32Array | null;
}

/** A normalizer maps text to text, tracking alignments only when `track` is true (they cost time). */
export type Normalizer = (text: string, track: boolean) => NormalizedString;

/** Builds a normalized string one output piece at a time, each piece tied to an input span. */
export class NormalizedBuilder {
  private readonly parts: string[] = [];
  private readonly spans: number[] | null;
  constructor(track: boolean) {
    this.spans = track ? [] : null;
  }
  /** Appends `s`, every unit of which comes from input span [start, end). */
  push(s: string, start: number, end: number): void {
    this.parts.push(s);
    if (this.spans) for (let k = 0; k < s.length; k++) this.spans.push(start, end);
  }
  /** Appends `input.slice(start, end)` unchanged: each unit comes from itself. */
  pushUnchanged(input: string, start: number, end: number): void {
    if (end <= start) return;
    this.parts.push(input.slice(start, end));
    if (this.spans) for (let k = start; k < end; k++) this.spans.push(k, k + 1);
  }
  build(): NormalizedString {
    return { text: this.parts.join(""), align: this.spans ? Int32Array.from(this.spans) : null };
  }
}

/** The input span of units [start, end) of a normalized string (`end` > `start`). */
export const originalSpan = (align: Int32Array | null, start: number, end: number): [number, number] =>
  align === null ? [start, end] : [align[2 * start]!, align[2 * (end - 1) + 1]!];

/**
 * Composes two steps: `second` ran on the text `first` produced; the result is aligned with the input of
 * `first`.
 */
export const composeAlignments = (first: NormalizedString, second: NormalizedString): NormalizedString => {
  if (second.align === null || first.align === null)
    return { text: second.text, align: second.align ?? first.align };
  const a = second.align;
  const out = new Int32Array(a.length);
  for (let i = 0; i < a.length; i += 2) {
    out[i] = first.align[2 * a[i]!]!;
    out[i + 1] = first.align[2 * (a[i + 1]! - 1) + 1]!;
  }
  return { text: second.text, align: out };
};
