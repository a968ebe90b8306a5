/**
 * The directories `savePretrainedTokenizer` writes, loaded by Hugging Face's own JavaScript library:
 * `@huggingface/transformers`' `AutoTokenizer.from_pretrained(dir)`, local files only (remote models
 * disabled: no network). It picks the class from tokenizer_config.json — without that file it fails
 * ("Cannot read properties of undefined (reading 'tokenizer_class')") — and must encode and decode as
 * we do, a cased BERT staying cased.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AutoTokenizer, env } from "@huggingface/transformers";
import fc from "fast-check";
import * as E from "fp-ts/lib/Either.js";
import { beforeAll, describe, expect, it } from "vitest";
import {
  savePretrainedTokenizer,
  type Tokenizer,
  trainByteLevelBpe,
  trainWikitextWordLevel,
  trainWordPiece,
} from "../src/node.js";
import { probeTexts, testCorpus } from "../src/test-utils/corpus.js";
import { trickyText } from "../src/test-utils/hf.js";

const root = mkdtempSync(join(tmpdir(), "scratchgrad-transformers-js-"));

beforeAll(() => {
  env.allowRemoteModels = false;
  env.localModelPath = root;
});

type HfTokenizer = Awaited<ReturnType<typeof AutoTokenizer.from_pretrained>>;

const writeAndLoad = async (name: string, tok: Tokenizer): Promise<HfTokenizer> => {
  const written = await savePretrainedTokenizer(tok, join(root, name), { modelMaxLength: 128 })();
  if (E.isLeft(written)) throw new Error(written.left._tag);
  return AutoTokenizer.from_pretrained(name, { local_files_only: true });
};

const expectSameEncodings = (ours: Tokenizer, theirs: HfTokenizer, texts: readonly string[]) => {
  for (const text of texts) {
    for (const addSpecialTokens of [true, false]) {
      const expected = ours.encode(text, { addSpecialTokens }).ids;
      expect({ text, ids: theirs.encode(text, { add_special_tokens: addSpecialTokens }) }).toEqual({
        text,
        ids: expected,
      });
    }
    const ids = ours.encode(text).ids;
    if (ids.length === 0) continue; // transformers.js refuses to decode []
    expect(theirs.decode(ids, { skip_special_tokens: true })).toBe(
      ours.decode(ids, { skipSpecialTokens: true }),
    );
  }
};

// Punctuation added to Unicode after the version HF's Rust library (and our measured tables) knows:
// transformers.js classifies characters with the JavaScript engine's own, newer Unicode tables, so on
// these three characters it departs from HF's Rust tokenizers, not from anything in our files.
const NEW_PUNCTUATION = "\u2E53\u061D\u1B7D new punctuation";

describe("@huggingface/transformers AutoTokenizer reads our directories", () => {
  const texts = probeTexts.filter((t) => t !== NEW_PUNCTUATION);

  it("cased WordPiece: BertTokenizer, the same ids, and cased stays cased", async () => {
    const ours = trainWordPiece(testCorpus, { vocabSize: 400 });
    const theirs = await writeAndLoad("wordpiece", ours);
    expect(theirs.constructor.name).toBe("BertTokenizer");
    expectSameEncodings(ours, theirs, texts);
    const [upper, lower] = [
      theirs.encode("The", { add_special_tokens: false }),
      theirs.encode("the", { add_special_tokens: false }),
    ];
    expect(upper).not.toEqual(lower);
    expect(theirs.model_max_length).toBe(128);
    expect(theirs.mask_token).toBe("[MASK]");
    expect(theirs.mask_token_id).toBe(ours.maskTokenId);
  });

  it("byte-level BPE: GPT2Tokenizer, the same ids on random text", async () => {
    const ours = trainByteLevelBpe(testCorpus, { vocabSize: 400 });
    const theirs = await writeAndLoad("bpe", ours);
    expect(theirs.constructor.name).toBe("GPT2Tokenizer");
    expectSameEncodings(ours, theirs, texts);
    fc.assert(fc.property(trickyText, (text) => expectSameEncodings(ours, theirs, [text])));
    expect(theirs.eos_token_id).toBe(ours.eosTokenId);
  });

  it("word level (WikiText): PreTrainedTokenizerFast, the same ids, <eos> after each row", async () => {
    const ours = trainWikitextWordLevel(testCorpus);
    const theirs = await writeAndLoad("word-level", ours);
    expectSameEncodings(ours, theirs, testCorpus);
    expect(theirs.eos_token_id).toBe(ours.eosTokenId);
    expect(theirs.unk_token_id).toBe(ours.unkTokenId);
  });

  it("a directory without tokenizer_config.json (what we wrote before) does not load", async () => {
    const dir = join(root, "no-config");
    await savePretrainedTokenizer(trainWordPiece(testCorpus, { vocabSize: 300 }), dir, {
      modelMaxLength: 128,
    })();
    rmSync(join(dir, "tokenizer_config.json"));
    await expect(AutoTokenizer.from_pretrained("no-config", { local_files_only: true })).rejects.toThrow();
  });
});
