import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { BpeModelConfig } from "../config.js";
import { HfTokenizer } from "../test-utils/hf.js";
import { bpeModel } from "./bpe.js";

const config = (
  vocab: Record<string, number>,
  merges: [string, string][],
  more: Partial<BpeModelConfig> = {},
) =>
  ({
    type: "BPE",
    dropout: null,
    unk_token: null,
    continuing_subword_prefix: null,
    end_of_word_suffix: null,
    fuse_unk: false,
    byte_fallback: false,
    ignore_merges: false,
    vocab,
    merges,
    ...more,
  }) satisfies BpeModelConfig;

/** HF with only this model (no pre-tokenizer): the whole text is one word. */
const hfModel = (model: BpeModelConfig) =>
  HfTokenizer.fromString(
    JSON.stringify({
      version: "1.0",
      added_tokens: [],
      normalizer: null,
      pre_tokenizer: null,
      post_processor: null,
      decoder: null,
      model,
    }),
  );

describe("BPE model", () => {
  it("applies merges by rank, leftmost first", () => {
    const bpe = bpeModel(
      config({ a: 0, b: 1, c: 2, ab: 3, bc: 4, abc: 5 }, [
        ["b", "c"],
        ["a", "b"],
        ["a", "bc"],
      ]),
    );
    expect(bpe.tokenize("abc").ids).toEqual([5]); // b+c first (rank 0), then a+bc
    expect(bpe.tokenize("abab").ids).toEqual([3, 3]);
    expect(bpe.tokenize("abcab").offsets).toEqual([0, 3, 3, 5]);
  });

  it("handles unknown characters as HF does: dropped, or [UNK], fused or not, or bytes", () => {
    const vocab = { "[UNK]": 0, a: 1, "<0x78>": 2, "<0xC3>": 3, "<0xA9>": 4 };
    expect(bpeModel(config(vocab, [])).tokenize("axxa").ids).toEqual([1, 1]);
    expect(bpeModel(config(vocab, [], { unk_token: "[UNK]" })).tokenize("axxa").ids).toEqual([1, 0, 0, 1]);
    expect(bpeModel(config(vocab, [], { unk_token: "[UNK]", fuse_unk: true })).tokenize("axxa").ids).toEqual([
      1, 0, 1,
    ]);
    expect(bpeModel(config(vocab, [], { byte_fallback: true })).tokenize("axé").ids).toEqual([1, 2, 3, 4]);
  });

  it("matches HF on merges that build the same token two ways, and on unknown characters", async () => {
    const models = [
      config({ a: 0, b: 1, c: 2, ab: 3, bc: 4, abc: 5, ca: 6, cab: 7 }, [
        ["a", "b"],
        ["b", "c"],
        ["ab", "c"],
        ["a", "bc"],
        ["c", "a"],
        ["c", "ab"],
        ["ca", "b"],
      ]),
      config(
        { "[UNK]": 0, a: 1, b: 2, ab: 3, "##b": 4, "##b</w>": 5, "ab</w>": 6 },
        [
          ["a", "##b"],
          ["a", "##b</w>"],
        ],
        {
          unk_token: "[UNK]",
          fuse_unk: true,
          continuing_subword_prefix: "##",
          end_of_word_suffix: "</w>",
        },
      ),
    ];
    for (const model of models) {
      const ours = bpeModel(model);
      const theirs = hfModel(model);
      await fc.assert(
        fc.asyncProperty(
          fc.string({ unit: fc.constantFrom("a", "b", "c", "d", "é"), maxLength: 12 }),
          async (word) => {
            const e = await theirs.encode(word);
            expect(ours.tokenize(word).ids).toEqual(e.getIds());
          },
        ),
        { numRuns: 500 },
      );
    }
  });
});
