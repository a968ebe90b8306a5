/**
 * The generate CLI's Hugging Face decoding options end to end, in-process, on a tiny random GPT-2 with
 * a byte-level BPE and one with the word-level tokenizer: repetition penalty, no-repeat n-grams, bad
 * words, min new tokens, stop strings and top-k's default of 50 when sampling.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { evalContext, type Gpt2Params, gpt2, gpt2Config, saveCheckpoint } from "@scratchgrad/nn";
import { fromTypedArray, gpujsBackend, random, scope, sliceAxis, useBackend } from "@scratchgrad/tensor";
import {
  saveTokenizer,
  type Tokenizer,
  trainByteLevelBpe,
  trainWikitextWordLevel,
} from "@scratchgrad/tokenizer";
import * as E from "fp-ts/lib/Either.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliOutput } from "./cli/main.js";
import { type GenerateResult, generateFlags, main as generateMain } from "./generate.js";
import { generateTokens } from "./generation/generate.js";
import { logitsProcessors } from "./generation/logits-processors.js";
import { argmax } from "./generation/sampling.js";

const SENTENCES = [
  " = Harbour Lights = ",
  " The bridge began construction in 2010 , reusing a large portion of the old stones .",
  " The bridge 's central span was carried over directly from the first design .",
  " It met with steady traffic in its first year , and was praised by local and visiting engineers .",
  " The lamps were designed by a small workshop , which had also worked on the previous bridges .",
];
const BACKEND = ["--backend", "webasm"];

const capture = (): CliOutput & { errText: () => string } => {
  const err: string[] = [];
  return { out: () => undefined, err: (l) => err.push(l), errText: () => err.join("\n") };
};

interface Saved {
  dir: string;
  tokenizer: Tokenizer;
  params: Gpt2Params;
  config: ReturnType<typeof gpt2Config>;
}

let root = "";
let bpe: Saved;
let words: Saved;

const save = async (name: string, tokenizer: Tokenizer, seed: number): Promise<Saved> => {
  const config = gpt2Config("gpt2-tiny", {
    vocab_size: tokenizer.vocabSize,
    n_layer: 1,
    n_embd: 32,
    n_head: 2,
    n_positions: 64,
    bos_token_id: tokenizer.eosTokenId ?? 0,
    eos_token_id: tokenizer.eosTokenId ?? 0,
  });
  const params = gpt2(config).init(random.key(seed));
  const dir = join(root, name);
  expect(E.isRight(await saveCheckpoint(dir, { modelType: "gpt2", config, params })())).toBe(true);
  expect(E.isRight(await saveTokenizer(tokenizer, join(dir, "tokenizer.json"))())).toBe(true);
  return { dir, tokenizer, params, config };
};

beforeAll(async () => {
  useBackend(gpujsBackend("webasm"));
  root = await mkdtemp(join(tmpdir(), "scratchgrad-generate-"));
  bpe = await save("bpe", trainByteLevelBpe(SENTENCES, { vocabSize: 300, minFrequency: 2 }), 1);
  words = await save("words", trainWikitextWordLevel(SENTENCES), 2);
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/** Last-position logits of a full (cache-free) forward pass over `ids`. */
const fullForwardLast = (m: Saved, ids: readonly number[]): Float32Array =>
  scope(() => {
    const logits = gpt2(m.config).apply(
      m.params,
      fromTypedArray(Int32Array.from(ids), [1, ids.length], "int32"),
      evalContext,
    );
    return sliceAxis(logits, 1, ids.length - 1, ids.length).data() as Float32Array;
  });

const run = async (m: Saved, flags: string[]): Promise<GenerateResult> => {
  let result: GenerateResult | undefined;
  const io = capture();
  const code = await generateMain(["--model-dir", m.dir, ...flags, ...BACKEND], io, (r) => (result = r));
  expect(code, io.errText()).toBe(0);
  return result!;
};

describe("generate: HF's logits processors", () => {
  it("each greedy token is the argmax of the processed logits of a full forward pass", async () => {
    const options = { repetitionPenalty: 1.8, noRepeatNgramSize: 2, badWordsIds: [[5], [7, 9]] };
    const { promptIds, generation } = await run(bpe, [
      ...["--prompt", "The bridge", "--max-new-tokens", "10", "--repetition-penalty", "1.8"],
      ...["--no-repeat-ngram-size", "2", "--bad-words-ids", "[[5], [7, 9]]"],
    ]);
    const generated = generation.sequences[0]!;
    expect(generated.length).toBeGreaterThan(0);
    const processors = logitsProcessors({ ...options, eosTokenId: bpe.tokenizer.eosTokenId });
    generated.forEach((token, i) => {
      const ids = [...promptIds, ...generated.slice(0, i)];
      const processed = processors(fullForwardLast(bpe, ids), { ids, promptLength: promptIds.length });
      // the cached and full passes may differ in the last float bits: a near-tie may flip
      expect(processed[token]!).toBeGreaterThanOrEqual(processed[argmax(processed)]! - 1e-4);
      expect(token).not.toBe(5);
    });
  });

  it("--no-repeat-ngram-size 1 repeats no token of the prompt or the continuation", async () => {
    const { promptIds, generation } = await run(bpe, [
      ...["--prompt", "The", "--max-new-tokens", "12", "--no-repeat-ngram-size", "1"],
    ]);
    const all = [...promptIds, ...generation.sequences[0]!];
    expect(new Set(all).size).toBe(all.length);
  });

  it("--bad-words keeps a word out (word level: the word's own id, as <unk> would be)", async () => {
    const plain = await run(words, ["--prompt", "The bridge", "--max-new-tokens", "6"]);
    const first = plain.generation.sequences[0]![0]!;
    const word = words.tokenizer.idToToken(first)!;
    const banned = await run(words, [
      ...["--prompt", "The bridge", "--max-new-tokens", "6", "--bad-words", JSON.stringify([word, "<unk>"])],
    ]);
    expect(banned.generation.sequences[0]).not.toContain(first);
    expect(banned.generation.sequences[0]).not.toContain(words.tokenizer.tokenToId("<unk>"));
  });

  it("--stop-strings stops the sequence at the token that completes the string", async () => {
    const plain = await run(bpe, ["--prompt", "The", "--max-new-tokens", "8"]);
    const promptText = "The";
    const two = bpe.tokenizer.decode([...plain.promptIds, ...plain.generation.sequences[0]!.slice(0, 2)]);
    const stop = two.slice(promptText.length);
    expect(stop.length).toBeGreaterThan(0);
    const stopped = await run(bpe, ["--prompt", "The", "--max-new-tokens", "8", "--stop-strings", stop]);
    expect(stopped.generation.stopReasons[0]).toBe("stop-string");
    // it stops at the first token whose text completes the string (possibly with the prompt's help)
    const seq = stopped.generation.sequences[0]!;
    expect(seq.length).toBeLessThanOrEqual(2);
    expect(seq).toEqual(plain.generation.sequences[0]!.slice(0, seq.length));
    expect(stopped.texts[0]).toContain(stop);
  });

  it("min_new_tokens bans eos until enough tokens are out", () => {
    const model = gpt2(bpe.config);
    const prompt = bpe.tokenizer.encode("The bridge").ids;
    const base = {
      maxNewTokens: 6,
      seed: 1,
      numReturnSequences: 1,
      doSample: false,
      temperature: 1,
      topK: 0,
      topP: 1,
    };
    const first = generateTokens(model, bpe.params, prompt, { ...base, eosTokenId: undefined })
      .sequences[0]![0]!;
    // the greedy first token as eos: it ends the sequence at once, unless min_new_tokens forbids it
    const early = generateTokens(model, bpe.params, prompt, { ...base, eosTokenId: first });
    expect(early.sequences[0]).toEqual([first]);
    expect(early.stopReasons[0]).toBe("eos");
    const held = generateTokens(model, bpe.params, prompt, { ...base, eosTokenId: first, minNewTokens: 3 });
    expect(held.sequences[0]!.length).toBeGreaterThanOrEqual(3);
    expect(held.sequences[0]!.slice(0, 3)).not.toContain(first);
  });
});

describe("generate: flags", () => {
  it("--top-k defaults to HF's 50: hot sampling stays within the 50 most likely tokens", async () => {
    expect(generateFlags["top-k"].default).toBe(50);
    const { promptIds, generation } = await run(bpe, [
      ...["--prompt", "The", "--do-sample", "--temperature", "50", "--max-new-tokens", "8", "--seed", "3"],
    ]);
    const generated = generation.sequences[0]!;
    generated.forEach((token, i) => {
      const logits = fullForwardLast(bpe, [...promptIds, ...generated.slice(0, i)]);
      const rank = Array.from(logits).filter((x) => x > logits[token]! + 1e-4).length;
      expect(rank).toBeLessThan(50);
    });
  });

  it("rejects malformed lists before any work", async () => {
    const cases: [string[], RegExp][] = [
      [["--bad-words-ids", "[[100000]]"], /--bad-words-ids: expected a JSON array/],
      [["--bad-words-ids", "[[]]"], /--bad-words-ids/],
      [["--stop-strings", "[1]"], /--stop-strings: expected a JSON array of non-empty strings/],
      [["--bad-words", "[oops"], /--bad-words: not a JSON array/],
      [["--repetition-penalty", "0"], /must be > 0/],
    ];
    for (const [flags, message] of cases) {
      const io = capture();
      expect(await generateMain(["--model-dir", bpe.dir, ...flags, ...BACKEND], io)).toBe(2);
      expect(io.errText()).toMatch(message);
    }
  });
});
