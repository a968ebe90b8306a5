/**
 * Compatibility with Hugging Face's tokenizers, checked against HF's own Rust implementation (the
 * `tokenizers` Node binding): files we write load in HF and encode to the same ids, tokens, special
 * token masks and offsets; files HF writes load here with the same results; and our BPE and WordLevel
 * trainers learn the vocabulary (and merges) HF's trainers learn.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import * as E from "fp-ts/lib/Either.js";
import * as hf from "tokenizers";
import { describe, expect, it } from "vitest";
import {
  countWords,
  loadTokenizer,
  saveTokenizer,
  type Tokenizer,
  trainBpe,
  trainByteLevelBpe,
  trainWikitextWordLevel,
  trainWordLevel,
  trainWordLevelVocabulary,
  trainWordPiece,
} from "../src/node.js";
import { probeTexts, testCorpus } from "../src/test-utils/corpus.js";
import { HfTokenizer, hfEncode, trickyText, unicodeText } from "../src/test-utils/hf.js";

const dir = mkdtempSync(join(tmpdir(), "scratchgrad-tokenizer-"));

const expectSameEncoding = async (ours: Tokenizer, theirs: HfTokenizer, text: string) => {
  for (const addSpecialTokens of [true, false]) {
    const expected = await hfEncode(theirs, text, addSpecialTokens);
    const actual = ours.encode(text, { addSpecialTokens, offsets: true });
    expect({ text, ...actual }).toEqual({ text, ...expected });
  }
};

const load = async (path: string): Promise<Tokenizer> => {
  const result = await loadTokenizer(path)();
  if (E.isLeft(result)) throw new Error(JSON.stringify(result.left));
  return result.right;
};

const trained = {
  "byte-level BPE": () => trainByteLevelBpe(testCorpus, { vocabSize: 500, minFrequency: 1 }),
  "byte-level BPE with add_prefix_space": () =>
    trainByteLevelBpe(testCorpus, { vocabSize: 400, minFrequency: 2, addPrefixSpace: true }),
  WordPiece: () => trainWordPiece(testCorpus, { vocabSize: 500, minFrequency: 1 }),
  "WordPiece, uncased": () =>
    trainWordPiece(testCorpus, { vocabSize: 400, lowercase: true, limitAlphabet: 60 }),
  WordLevel: () => trainWordLevel(testCorpus, { specialTokens: ["<unk>", "<pad>"], minFrequency: 1 }),
  "WikiText word-level": () => trainWikitextWordLevel(testCorpus),
};

describe.each(Object.entries(trained))("a %s tokenizer we train and save", (name, train) => {
  const ours = train();
  const path = join(dir, `${name.replaceAll(" ", "-")}.json`);

  it("loads in Hugging Face's tokenizers, which encodes the probe texts exactly as we do", async () => {
    expect(E.isRight(await saveTokenizer(ours, path)())).toBe(true);
    const theirs = HfTokenizer.fromFile(path);
    expect(theirs.getVocabSize(true)).toBe(ours.vocabSize);
    for (const text of probeTexts) await expectSameEncoding(ours, theirs, text);
  });

  it("matches HF on random full-Unicode and adversarial strings", async () => {
    const theirs = HfTokenizer.fromFile(path);
    await fc.assert(
      fc.asyncProperty(fc.oneof(unicodeText, trickyText), async (text) => {
        await expectSameEncoding(ours, theirs, text);
      }),
      { numRuns: 300 },
    );
  });

  it("decodes as HF does, with and without special tokens", async () => {
    const theirs = HfTokenizer.fromFile(path);
    for (const text of probeTexts) {
      const ids = ours.encode(text).ids;
      for (const skip of [false, true]) {
        expect(ours.decode(ids, { skipSpecialTokens: skip })).toBe(await theirs.decode(ids, skip));
      }
    }
  });

  it("writes the file HF itself writes for the same tokenizer", () => {
    const theirs = HfTokenizer.fromFile(path);
    const resaved = join(dir, `${name.replaceAll(" ", "-")}.hf.json`);
    theirs.save(resaved, true);
    expect(JSON.parse(ours.toJson())).toEqual(JSON.parse(readFileSync(resaved, "utf8")));
  });
});

describe("tokenizers trained by Hugging Face", () => {
  const corpusFile = join(dir, "corpus.txt");
  const corpus = testCorpus.join("\n");
  writeFileSync(corpusFile, corpus);
  // HF's train_from_files reads lines, newline included.
  const lines = corpus.split(/(?<=\n)/);

  const hfByteLevelBpe = () => {
    const tok = new HfTokenizer(hf.BPE.empty());
    tok.setPreTokenizer(hf.byteLevelPreTokenizer(false, true));
    tok.setPostProcessor(hf.byteLevelProcessing(false));
    tok.train([corpusFile]);
    return tok;
  };

  it("learn the vocabulary and merges our trainer learns (BPE, byte-level words)", () => {
    const path = join(dir, "hf-trained-bpe.json");
    hfByteLevelBpe().save(path, false);
    const theirs = JSON.parse(readFileSync(path, "utf8")).model;
    // HF's default trainer: vocabulary 30,000 (so: until no pair is left), min_frequency 0, no alphabet given.
    const words = countWords(lines, {
      version: "1.0",
      truncation: null,
      padding: null,
      added_tokens: [],
      normalizer: null,
      pre_tokenizer: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true },
    });
    const ours = trainBpe(words, { vocabSize: 30000, minFrequency: 0, specialTokens: [] });
    expect(Object.fromEntries(ours.vocab.map((t, i) => [t, i]))).toEqual(theirs.vocab);
    expect(ours.merges).toEqual(theirs.merges);
  });

  it("learn the vocabulary our WordLevel trainer learns (words by frequency, ties in code point order)", () => {
    // ties where code point order and UTF-16 order differ (U+FFEF sorts before U+1F600 in code points)
    const tiesFile = join(dir, "ties.txt");
    const ties = "\uffef 😀 zz \ue000 𝔘 é\n";
    writeFileSync(tiesFile, ties);
    const tok = new HfTokenizer(hf.WordLevel.empty());
    tok.setPreTokenizer(hf.whitespaceSplitPreTokenizer());
    // HF's default WordLevelTrainer: vocabulary 30,000, min_frequency 0, no special tokens
    tok.train([corpusFile, tiesFile]);
    const words = countWords([...lines, ties], {
      version: "1.0",
      truncation: null,
      padding: null,
      added_tokens: [],
      normalizer: null,
      pre_tokenizer: { type: "WhitespaceSplit" },
    });
    const ours = trainWordLevelVocabulary(words, { vocabSize: 30000, minFrequency: 0, specialTokens: [] });
    const theirs = Object.entries(tok.getVocab(false)).sort((a, b) => a[1] - b[1]);
    expect(ours).toEqual(theirs.map(([token]) => token));
    expect(ours.length).toBeGreaterThan(150);
  });

  it("load here and encode and decode as in HF (WordLevel with <eos> after each text)", async () => {
    // As for WordPiece: HF's default trainer has no special tokens, so the model is rebuilt with them.
    const trainer = new HfTokenizer(hf.WordLevel.empty());
    trainer.setPreTokenizer(hf.whitespaceSplitPreTokenizer());
    trainer.train([corpusFile]);
    const learned = Object.entries(trainer.getVocab(false)).sort((a, b) => a[1] - b[1]);
    const vocab = Object.fromEntries(["<eos>", "<unk>", ...learned.map(([t]) => t)].map((t, i) => [t, i]));
    const tok = new HfTokenizer(hf.WordLevel.init(vocab, { unkToken: "<unk>" }));
    tok.setPreTokenizer(hf.whitespaceSplitPreTokenizer());
    tok.addSpecialTokens(["<eos>"]);
    tok.setPostProcessor(hf.templateProcessing("$A <eos>", null, [["<eos>", 0]]));
    const path = join(dir, "hf-trained-wordlevel.json");
    tok.save(path, true);
    const ours = await load(path);
    const theirs = HfTokenizer.fromFile(path);
    for (const text of probeTexts) {
      await expectSameEncoding(ours, theirs, text);
      const ids = ours.encode(text).ids;
      for (const skip of [false, true])
        expect(ours.decode(ids, { skipSpecialTokens: skip })).toBe(await theirs.decode(ids, skip));
    }
    await fc.assert(
      fc.asyncProperty(fc.oneof(unicodeText, trickyText), async (text) =>
        expectSameEncoding(ours, theirs, text),
      ),
      { numRuns: 200 },
    );
    expect(JSON.parse(ours.toJson())).toEqual(JSON.parse(readFileSync(path, "utf8")));
  });

  it("fail as HF does on an unknown word when the WordLevel vocabulary has no unknown token", async () => {
    const tok = new HfTokenizer(hf.WordLevel.init({ the: 0, cat: 1 }, { unkToken: "<unk>" }));
    tok.setPreTokenizer(hf.whitespaceSplitPreTokenizer());
    const path = join(dir, "hf-closed-wordlevel.json");
    tok.save(path, true);
    const ours = await load(path);
    const theirs = HfTokenizer.fromFile(path);
    expect(ours.encode("the cat").ids).toEqual((await theirs.encode("the cat")).getIds());
    await expect(theirs.encode("the dog")).rejects.toThrow(/Missing \[UNK\] token/);
    expect(() => ours.encode("the dog")).toThrow(/"dog" is not in the vocabulary/);
  });

  it("load here and encode as in HF (byte-level BPE)", async () => {
    const path = join(dir, "hf-trained-bpe-full.json");
    hfByteLevelBpe().save(path, true);
    const ours = await load(path);
    const theirs = HfTokenizer.fromFile(path);
    // HF's default trainer has no byte alphabet: characters it never saw have no token, in both.
    for (const text of probeTexts) await expectSameEncoding(ours, theirs, text);
    await fc.assert(
      fc.asyncProperty(trickyText, async (text) => expectSameEncoding(ours, theirs, text)),
      { numRuns: 200 },
    );
  });

  it("load here and encode as in HF (WordPiece with BERT's normalizer, template and decoder)", async () => {
    // HF's default WordPiece trainer takes no special tokens, so its vocabulary has no [UNK]: rebuild the
    // model with the specials in front of the learned vocabulary (HF's writer still writes the file).
    const trainer = new HfTokenizer(hf.WordPiece.empty());
    trainer.setNormalizer(hf.bertNormalizer({ lowercase: false }));
    trainer.setPreTokenizer(hf.bertPreTokenizer());
    trainer.train([corpusFile]);
    const specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
    const learned = Object.entries(trainer.getVocab(false)).sort((a, b) => a[1] - b[1]);
    const vocab = Object.fromEntries([...specials, ...learned.map(([t]) => t)].map((t, i) => [t, i]));
    const tok = new HfTokenizer(hf.WordPiece.init(vocab, { unkToken: "[UNK]" }));
    tok.setNormalizer(hf.bertNormalizer({ lowercase: false }));
    tok.setPreTokenizer(hf.bertPreTokenizer());
    tok.addSpecialTokens(specials);
    tok.setPostProcessor(
      hf.templateProcessing("[CLS] $A [SEP]", "[CLS] $A [SEP] $B:1 [SEP]:1", [
        ["[CLS]", 2],
        ["[SEP]", 3],
      ]),
    );
    tok.setDecoder(hf.wordPieceDecoder("##", true));
    const path = join(dir, "hf-trained-wordpiece.json");
    tok.save(path, true);
    const ours = await load(path);
    const theirs = HfTokenizer.fromFile(path);
    for (const text of probeTexts) {
      await expectSameEncoding(ours, theirs, text);
      const ids = ours.encode(text).ids;
      expect(ours.decode(ids)).toBe(await theirs.decode(ids, false));
    }
    await fc.assert(
      fc.asyncProperty(fc.oneof(unicodeText, trickyText), async (text) =>
        expectSameEncoding(ours, theirs, text),
      ),
      { numRuns: 200 },
    );
  });
});
