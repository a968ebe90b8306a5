import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countWords, trainByteLevelBpe, trainWordPiece } from "./index.js";
import { testCorpus } from "./test-utils/corpus.js";
import { trickyText } from "./test-utils/hf.js";

const bpe = trainByteLevelBpe(testCorpus, { vocabSize: 400, minFrequency: 1 });
const wp = trainWordPiece(testCorpus, { vocabSize: 400, minFrequency: 1 });

describe("byte-level BPE tokenizer", () => {
  it("decodes what it encodes, for every string", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary" }), trickyText), (text) => {
        expect(bpe.decode(bpe.encode(text).ids)).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  it("gives offsets that slice out each token's text", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "grapheme", maxLength: 30 }), trickyText), (text) => {
        const { ids, offsets } = bpe.encode(text, { offsets: true });
        ids.forEach((id, k) => {
          const piece = bpe.decode([id]);
          // a token that holds only part of a character's bytes covers the whole character
          if (!piece.includes("\ufffd")) expect(text.slice(...offsets![k]!)).toBe(piece);
        });
      }),
    );
  });

  it("keeps special tokens whole and can leave them out when decoding", () => {
    const e = bpe.encode("end<|endoftext|>start");
    expect(e.tokens).toContain("<|endoftext|>");
    expect(e.ids).toContain(bpe.eosTokenId);
    expect(bpe.decode(e.ids, { skipSpecialTokens: true })).toBe("endstart");
    expect(bpe.decode(e.ids)).toBe("end<|endoftext|>start");
  });

  it("has GPT-2's special ids and an id for every byte", () => {
    expect(bpe.bosTokenId).toBe(0);
    expect(bpe.eosTokenId).toBe(0);
    expect(bpe.padTokenId).toBeUndefined();
    expect(bpe.vocabSize).toBe(400);
    expect(bpe.tokenToId("Ġ")).toBeDefined();
    expect(bpe.idToToken(bpe.tokenToId("Ġthe")!)).toBe("Ġthe");
    expect(bpe.encodeBatch(["a b", "c"]).map((e) => e.ids)).toEqual([
      bpe.encode("a b").ids,
      bpe.encode("c").ids,
    ]);
  });

  it("leaves special tokens out of the training counts", () => {
    const words = countWords(["a<|endoftext|>b"], bpe.config);
    expect([...words.keys()]).toEqual(["a", "b"]);
  });

  it("refuses a vocabulary smaller than the byte alphabet", () => {
    expect(() => trainByteLevelBpe(testCorpus, { vocabSize: 200 })).toThrow(/at least 257/);
  });
});

describe("WordPiece tokenizer", () => {
  it("wraps encodings in [CLS] ... [SEP] and marks them as special", () => {
    const e = wp.encode("The lazy dog.");
    expect(e.tokens[0]).toBe("[CLS]");
    expect(e.tokens.at(-1)).toBe("[SEP]");
    expect(e.specialTokensMask).toEqual(
      e.tokens.map((_, i) => (i === 0 || i === e.tokens.length - 1 ? 1 : 0)),
    );
    expect(wp.encode("The lazy dog.", { addSpecialTokens: false }).tokens).toEqual(e.tokens.slice(1, -1));
  });

  it("uses ## continuations and the unknown token", () => {
    const tokens = wp.encode("lazily ꙮ", { addSpecialTokens: false }).tokens;
    expect(tokens.length).toBeGreaterThanOrEqual(3);
    expect(tokens[0]!.startsWith("##")).toBe(false);
    expect(tokens.slice(1, -1).every((t) => t.startsWith("##"))).toBe(true);
    expect(tokens.at(-1)).toBe("[UNK]");
  });

  it("has BERT's special ids", () => {
    expect([wp.padTokenId, wp.unkTokenId, wp.clsTokenId, wp.sepTokenId, wp.maskTokenId]).toEqual([
      0, 1, 2, 3, 4,
    ]);
    expect(wp.bosTokenId).toBeUndefined();
  });

  it("decodes to the normalized text, without special tokens when asked", () => {
    const ids = wp.encode("The quick brown fox, after all.").ids;
    expect(wp.decode(ids, { skipSpecialTokens: true })).toBe("The quick brown fox, after all.");
  });

  it("needs [UNK], [CLS] and [SEP] among its special tokens", () => {
    expect(() => trainWordPiece(testCorpus, { vocabSize: 300, specialTokens: ["[PAD]"] })).toThrow(/\[UNK\]/);
  });
});
