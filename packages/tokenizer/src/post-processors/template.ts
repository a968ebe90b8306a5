import type { TemplatePiece } from "../config.js";
import type { PostProcessor } from "./post-processor.js";

export interface SpecialTokenEntry {
  readonly ids: readonly number[];
  readonly tokens: readonly string[];
}

/**
 * HF's TemplateProcessing for a single sequence: the `single` template, e.g. `[CLS] $A [SEP]`, with `$A`
 * replaced by the encoding and each special token by its ids (marked 1 in `specialTokensMask`, offsets
 * [0, 0]). BertProcessing is the same with the template fixed to `[CLS] $A [SEP]`.
 *
 * @example
 * templatePostProcessor(
 *   [{ SpecialToken: { id: "[CLS]", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }],
 *   new Map([["[CLS]", { ids: [101], tokens: ["[CLS]"] }]]),
 * )({ ids: [7], tokens: ["hi"], specialTokensMask: [0] }, true, "hi").ids; // [101, 7]
 */
export const templatePostProcessor =
  (single: readonly TemplatePiece[], specialTokens: ReadonlyMap<string, SpecialTokenEntry>): PostProcessor =>
  (encoding, addSpecialTokens) => {
    if (!addSpecialTokens) return encoding;
    // Built by concatenation: spreading a long encoding into push() would overflow the stack.
    let ids: number[] = [];
    let tokens: string[] = [];
    let specialTokensMask: number[] = [];
    let offsets: [number, number][] | undefined = encoding.offsets ? [] : undefined;
    for (const piece of single) {
      if ("Sequence" in piece) {
        ids = ids.concat(encoding.ids);
        tokens = tokens.concat(encoding.tokens);
        specialTokensMask = specialTokensMask.concat(encoding.specialTokensMask);
        if (offsets) offsets = offsets.concat(encoding.offsets!);
      } else {
        const entry = specialTokens.get(piece.SpecialToken.id)!;
        ids = ids.concat(entry.ids);
        tokens = tokens.concat(entry.tokens);
        specialTokensMask = specialTokensMask.concat(entry.ids.map(() => 1));
        if (offsets) offsets = offsets.concat(entry.ids.map((): [number, number] => [0, 0]));
      }
    }
    return { ids, tokens, specialTokensMask, ...(offsets ? { offsets } : {}) };
  };
