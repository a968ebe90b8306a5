/**
 * The generate, fill-mask and eval CLIs end to end, in-process, on a tiny GPT-2 and a tiny BERT built
 * here, saved as a training run would save them, with tokenizers trained on a few sentences; and a tiny
 * GPT-2 with the word-level tokenizer of `train:gpt2 --tokenizer word-level`.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromColumns, groupTexts, tokenizeDataset } from "@scratchgrad/datasets";
import {
  type BertParams,
  bert,
  bertConfig,
  evalContext,
  type Gpt2Params,
  gpt2,
  gpt2Config,
  saveCheckpoint,
} from "@scratchgrad/nn";
import { fromTypedArray, gpujsBackend, random, scope, sliceAxis, useBackend } from "@scratchgrad/tensor";
import {
  saveTokenizer,
  type Tokenizer,
  trainByteLevelBpe,
  trainWikitextWordLevel,
  trainWordPiece,
} from "@scratchgrad/tokenizer";
import * as E from "fp-ts/lib/Either.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliOutput } from "./cli/main.js";
import { main as evalMain } from "./eval.js";
import { main as fillMaskMain, type MaskPrediction } from "./fill-mask.js";
import { type GenerateResult, main as generateMain } from "./generate.js";
import { argmax } from "./generation/sampling.js";
import { batchEncoder } from "./train/lm-data.js";
import type { EvalResult } from "./train/trainer.js";

const SENTENCES = [
  " = Harbour Lights = ",
  " The bridge began construction in 2010 , reusing a large portion of the old stones .",
  " The bridge 's central span was carried over directly from the first design .",
  " It met with steady traffic in its first year , and was praised by local and visiting engineers .",
  " The lamps were designed by a small workshop , which had also worked on the previous bridges .",
  " The building team was made up of staff from the first bridge and newcomers .",
];

/** Lines of a WikiText raw file: HF keeps each line with its newline, blank lines as "". */
const WIKITEXT = `\n${SENTENCES.map((s) => `${s}\n`).join("\n")}`.repeat(3);

const capture = (): CliOutput & { outText: () => string; errText: () => string } => {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    outText: () => out.join("\n"),
    errText: () => err.join("\n"),
  };
};

const BACKEND = ["--backend", "webasm"];

let root: string;
let gptDir: string;
let bertDir: string;
let dataDir: string;
let gptTokenizer: Tokenizer;
let bertTokenizer: Tokenizer;
let gptParams: Gpt2Params;
let bertParams: BertParams;
const gptConfig = () =>
  gpt2Config("gpt2-tiny", {
    vocab_size: gptTokenizer.vocabSize,
    n_layer: 1,
    n_embd: 32,
    n_head: 2,
    n_positions: 64,
  });
const tinyBertConfig = () =>
  bertConfig("bert-tiny", {
    vocab_size: bertTokenizer.vocabSize,
    num_hidden_layers: 1,
    hidden_size: 32,
    num_attention_heads: 2,
    intermediate_size: 64,
    max_position_embeddings: 64,
  });

beforeAll(async () => {
  useBackend(gpujsBackend("webasm"));
  root = await mkdtemp(join(tmpdir(), "scratchgrad-cli-"));
  gptDir = join(root, "gpt2");
  bertDir = join(root, "bert");
  dataDir = join(root, "wikitext");
  gptTokenizer = trainByteLevelBpe(SENTENCES, {
    vocabSize: 300,
    minFrequency: 2,
    specialTokens: ["<|endoftext|>"],
  });
  bertTokenizer = trainWordPiece(SENTENCES, { vocabSize: 120, minFrequency: 2 });
  gptParams = gpt2(gptConfig()).init(random.key(1));
  bertParams = bert(tinyBertConfig()).init(random.key(2));
  for (const [dir, checkpoint, tokenizer] of [
    [gptDir, { modelType: "gpt2", config: gptConfig(), params: gptParams }, gptTokenizer],
    [bertDir, { modelType: "bert", config: tinyBertConfig(), params: bertParams }, bertTokenizer],
  ] as const) {
    expect(E.isRight(await saveCheckpoint(dir, checkpoint as never)())).toBe(true);
    expect(E.isRight(await saveTokenizer(tokenizer, join(dir, "tokenizer.json"))())).toBe(true);
    // what train:* writes (the keys eval reads)
    await writeFile(
      join(dir, "training_args.json"),
      JSON.stringify({
        dataset_config: "wikitext-2-raw-v1",
        block_size: 16,
        seed: 7,
        per_device_eval_batch_size: 3,
        max_eval_samples: 0,
      }),
    );
  }
  await mkdir(dataDir, { recursive: true });
  await writeFile(join(dataDir, "wiki.valid.raw"), WIKITEXT);
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/** Last-position logits of a full (cache-free) forward pass over `ids`. */
const fullForwardLast = (ids: readonly number[]): Float32Array =>
  scope(() => {
    const T = ids.length;
    const logits = gpt2(gptConfig()).apply(
      gptParams,
      fromTypedArray(Int32Array.from(ids), [1, T], "int32"),
      evalContext,
    );
    return sliceAxis(logits, 1, T - 1, T).data() as Float32Array;
  });

describe("generate", () => {
  it("greedy decoding with the KV cache equals argmax of a full forward pass, step by step", async () => {
    const io = capture();
    let result: GenerateResult | undefined;
    const code = await generateMain(
      ["--model-dir", gptDir, "--prompt", "The game began", "--max-new-tokens", "8", ...BACKEND],
      io,
      (r) => {
        result = r;
      },
    );
    expect(code, io.errText()).toBe(0);
    const { promptIds, generation, texts } = result!;
    const generated = generation.sequences[0]!;
    expect(generated.length).toBeGreaterThan(0);
    expect(generated.length).toBeLessThanOrEqual(8);
    generated.forEach((token, i) => {
      const logits = fullForwardLast([...promptIds, ...generated.slice(0, i)]);
      const best = argmax(logits);
      // the cached and full passes may differ in the last float bits: a near-tie may flip
      expect(logits[token]!).toBeGreaterThanOrEqual(logits[best]! - 1e-4);
    });
    expect(texts[0]!.startsWith("The game began")).toBe(true);
    expect(io.outText()).toBe(texts[0]);
    expect(io.errText()).toMatch(/tokens\/s/);
  });

  it("stops at the context length", async () => {
    let result: GenerateResult | undefined;
    // the longest prefix of the text that leaves room for a few tokens before position 64
    const words = SENTENCES.slice(1).join(" ").split(" ");
    let n = 1;
    while (gptTokenizer.encode(words.slice(0, n + 1).join(" ")).ids.length <= 58) n++;
    const prompt = words.slice(0, n).join(" ");
    const io = capture();
    expect(
      await generateMain(
        ["--model-dir", gptDir, "--prompt", prompt, "--max-new-tokens", "100", ...BACKEND],
        io,
        (r) => {
          result = r;
        },
      ),
      io.errText(),
    ).toBe(0);
    const { promptIds, generation } = result!;
    expect(promptIds.length).toBeLessThan(64);
    if (generation.stopReasons[0] === "context-length")
      expect(promptIds.length + generation.sequences[0]!.length).toBe(64);
    else expect(generation.stopReasons[0]).toBe("eos");
  });

  it("sampling: the same seed gives the same sequences, another seed others", async () => {
    const run = async (seed: number) => {
      let result: GenerateResult | undefined;
      const io = capture();
      const argv = [
        "--model-dir",
        gptDir,
        "--prompt",
        "The",
        "--do-sample",
        "--temperature",
        "2",
        "--top-k",
        "50",
      ];
      argv.push(
        "--top-p",
        "0.95",
        "--seed",
        String(seed),
        "--num-return-sequences",
        "2",
        "--max-new-tokens",
        "6",
      );
      expect(await generateMain([...argv, ...BACKEND], io, (r) => (result = r)), io.errText()).toBe(0);
      return result!.generation.sequences;
    };
    const a = await run(7);
    expect(a).toHaveLength(2);
    expect(await run(7)).toEqual(a);
    expect(await run(8)).not.toEqual(a);
  });

  it("rejects bad flags and the wrong model with a message, before any work", async () => {
    const cases: [string[], number, RegExp][] = [
      [["--model-dir", gptDir, "--top-p", "0"], 2, /--top-p: must be > 0/],
      [["--model-dir", gptDir, "--top-p", "1.5"], 2, /--top-p: must be in/],
      [["--model-dir", gptDir, "--num-return-sequences", "3"], 2, /needs --do-sample/],
      [["--model-dir", gptDir, "--max-new-tokens", "x"], 2, /expected a number/],
      [["--prompt", "x"], 2, /--model-dir is required/],
      [["--model-dir", join(root, "nope"), ...BACKEND], 1, /no such directory/],
      [["--model-dir", bertDir, ...BACKEND], 1, /BERT model; generate needs a GPT-2/],
      [
        ["--model-dir", gptDir, "--prompt", SENTENCES.join(" "), ...BACKEND],
        1,
        /longer than the model's context of 64/,
      ],
    ];
    for (const [argv, code, message] of cases) {
      const io = capture();
      expect(await generateMain(argv, io)).toBe(code);
      expect(io.errText()).toMatch(message);
      expect(io.errText()).not.toMatch(/\n\s+at /); // no stack trace
    }
    const help = capture();
    expect(await generateMain(["--help"], help)).toBe(0);
    expect(help.outText()).toMatch(/--do-sample/);
  });
});

describe("fill-mask", () => {
  it("gives sorted top-k probabilities per [MASK], summing to at most 1, with the token filled in", async () => {
    const io = capture();
    let predictions: readonly MaskPrediction[] = [];
    const text = "The [MASK] began development in 2010 , carrying over a large [MASK] .";
    const code = await fillMaskMain(
      ["--model-dir", bertDir, "--text", text, "--top-k", "4", ...BACKEND],
      io,
      (p) => {
        predictions = p;
      },
    );
    expect(code, io.errText()).toBe(0);
    expect(predictions).toHaveLength(2);
    const maskId = bertTokenizer.maskTokenId!;
    const ids = bertTokenizer.encode(text).ids;
    for (const p of predictions) {
      expect(ids[p.position]).toBe(maskId);
      expect(p.candidates).toHaveLength(4);
      const scores = p.candidates.map((c) => c.score);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
      expect(scores.reduce((s, x) => s + x, 0)).toBeLessThanOrEqual(1 + 1e-9);
      for (const c of p.candidates) {
        expect(c.score).toBeGreaterThan(0);
        expect(c.tokenStr).toBe(bertTokenizer.decode([c.token]));
        expect(c.sequence).not.toMatch(/\[CLS\]|\[SEP\]/);
        expect(c.sequence.match(/\[MASK\]/g)?.length ?? 0).toBe(c.token === maskId ? 2 : 1);
      }
    }
    // the best candidate is the argmax of a direct forward pass at that position
    const logits = scope(() =>
      bert(tinyBertConfig())
        .apply(
          bertParams,
          { inputIds: fromTypedArray(Int32Array.from(ids), [1, ids.length], "int32") },
          evalContext,
        )
        .data(),
    );
    const V = logits.length / ids.length;
    const p0 = predictions[0]!;
    expect(p0.candidates[0]!.token).toBe(argmax(logits.subarray(p0.position * V, (p0.position + 1) * V)));
    expect(io.outText()).toMatch(/rank \| token/);
  });

  it("rejects a text without [MASK] and a GPT-2 model", async () => {
    const noMask = capture();
    expect(await fillMaskMain(["--model-dir", bertDir, "--text", "no mask here", ...BACKEND], noMask)).toBe(
      2,
    );
    expect(noMask.errText()).toMatch(/no \[MASK\]/);
    const gpt = capture();
    expect(await fillMaskMain(["--model-dir", gptDir, "--text", "The [MASK] .", ...BACKEND], gpt)).toBe(1);
    expect(gpt.errText()).toMatch(/fill-mask needs a BERT/);
  });
});

describe("eval", () => {
  it("re-evaluates as the trainer: the loss equals a direct recomputation over the same blocks", async () => {
    const io = capture();
    let result: EvalResult | undefined;
    const code = await evalMain(["--model-dir", gptDir, "--data-dir", dataDir, ...BACKEND], io, (r) => {
      result = r;
    });
    expect(code, io.errText()).toBe(0);
    expect(io.errText()).toMatch(/blocks of 16, batch 3, seed 7/); // defaults from training_args.json
    // direct: tokenize the rows, group into 16-token blocks, mean next-token NLL over all of them at once
    const rows = WIKITEXT.split(/(?<=\n)/).map((line) => (line === "\n" ? "" : line));
    const rowsData = fromColumns({ text: rows });
    const blocks = groupTexts({ blockSize: 16, labels: true })(
      tokenizeDataset(batchEncoder(gptTokenizer))(rowsData),
    );
    const direct = scope(() =>
      gpt2(gptConfig())
        .loss(
          gptParams,
          { inputIds: fromTypedArray(blocks.inputIds, [blocks.numBlocks, 16], "int32") },
          evalContext,
        )
        .item(),
    );
    expect(result!.scoredTokens).toBe(blocks.numBlocks * 15);
    expect(result!.evalLoss).toBeCloseTo(direct, 4);
    expect(io.outText()).toMatch(/eval_loss: .*\nperplexity: .*\nword_perplexity: /);
  });

  it("--split test scores wiki.test.raw the same way, and only validation is compared with eval_results.json", async () => {
    const splitDir = join(root, "wikitext-with-test");
    const testText = `\n${[...SENTENCES]
      .reverse()
      .map((s) => `${s}\n`)
      .join("\n")}`.repeat(2);
    await mkdir(splitDir, { recursive: true });
    await writeFile(join(splitDir, "wiki.valid.raw"), WIKITEXT);
    await writeFile(join(splitDir, "wiki.test.raw"), testText);
    await writeFile(join(gptDir, "eval_results.json"), JSON.stringify({ eval_loss: 1.5 }));
    const score = async (split: string[]) => {
      const io = capture();
      let result: EvalResult | undefined;
      const argv = ["--model-dir", gptDir, "--data-dir", splitDir, ...split, ...BACKEND];
      expect(await evalMain(argv, io, (r) => (result = r)), io.errText()).toBe(0);
      return { result: result!, err: io.errText() };
    };
    try {
      const test = await score(["--split", "test"]);
      expect(test.err).toMatch(/on wikitext-2-raw-v1 test: /);
      expect(test.err).not.toMatch(/eval_results\.json recorded/);
      const rows = testText.split(/(?<=\n)/).map((line) => (line === "\n" ? "" : line));
      const blocks = groupTexts({ blockSize: 16, labels: true })(
        tokenizeDataset(batchEncoder(gptTokenizer))(fromColumns({ text: rows })),
      );
      const direct = scope(() =>
        gpt2(gptConfig())
          .loss(
            gptParams,
            { inputIds: fromTypedArray(blocks.inputIds, [blocks.numBlocks, 16], "int32") },
            evalContext,
          )
          .item(),
      );
      expect(test.result.scoredTokens).toBe(blocks.numBlocks * 15);
      expect(test.result.evalLoss).toBeCloseTo(direct, 4);
      const validation = await score([]); // the default
      expect(validation.err).toMatch(/on wikitext-2-raw-v1 validation: /);
      expect(validation.err).toMatch(/eval_results\.json recorded eval_loss 1\.500000/);
      expect(validation.result.evalLoss).not.toBe(test.result.evalLoss);
    } finally {
      await rm(join(gptDir, "eval_results.json"), { force: true });
    }
  });

  it("evaluates a BERT with the trainer's eval key (same numbers twice) and honours flag overrides", async () => {
    const run = async () => {
      let result: EvalResult | undefined;
      const io = capture();
      const argv = ["--model-dir", bertDir, "--data-dir", dataDir, "--block-size", "12", ...BACKEND];
      expect(await evalMain(argv, io, (r) => (result = r)), io.errText()).toBe(0);
      expect(io.errText()).toMatch(/blocks of 12/);
      return result!;
    };
    const a = await run();
    expect(Number.isFinite(a.evalLoss)).toBe(true);
    expect(a.scoredTokens).toBeGreaterThan(0);
    expect((await run()).evalLoss).toBe(a.evalLoss);
  });

  it("rejects bad values readably, flags and training_args.json alike", async () => {
    // a model whose every weight is NaN (all data bytes 0xff): eval must not exit 0 printing NaN
    const nanDir = join(root, "nan-model");
    await cp(gptDir, nanDir, { recursive: true });
    const weights = await readFile(join(nanDir, "model.safetensors"));
    weights.fill(0xff, 8 + Number(weights.readBigUInt64LE(0)));
    await writeFile(join(nanDir, "model.safetensors"), weights);
    const badArgs = join(root, "bad-args");
    await mkdir(badArgs, { recursive: true });
    await writeFile(join(badArgs, "training_args.json"), JSON.stringify({ block_size: "big" }));
    const cases: [string[], number, RegExp][] = [
      [["--model-dir", gptDir, "--dataset-config", "wikitext-3"], 2, /is not one of/],
      [["--model-dir", gptDir, "--block-size", "0"], 2, /--block-size: must be > 0/],
      [["--model-dir", gptDir, "--split", "valid"], 2, /--split.*is not one of/],
      [["--data-dir", dataDir], 2, /--model-dir is required/],
      [["--model-dir", badArgs], 1, /block_size should be a number/],
      [
        ["--model-dir", gptDir, "--data-dir", dataDir, "--block-size", "1024", ...BACKEND],
        2,
        /^error: --block-size 1024 is longer than the model's 64 positions \(config\.json\); use at most 64$/,
      ],
      [
        ["--model-dir", nanDir, "--data-dir", dataDir, ...BACKEND],
        1,
        /^error: the validation loss is NaN: /m,
      ],
    ];
    for (const [argv, code, message] of cases) {
      const io = capture();
      expect(await evalMain(argv, io)).toBe(code);
      expect(io.errText()).toMatch(message);
    }
  });
});

describe("a GPT-2 with a word-level tokenizer (train:gpt2 --tokenizer word-level)", () => {
  let wordDir: string;
  let wordTokenizer: Tokenizer;
  beforeAll(async () => {
    wordDir = join(root, "gpt2-word-level");
    wordTokenizer = trainWikitextWordLevel(WIKITEXT.split(/(?<=\n)/));
    const config = gpt2Config("gpt2-tiny", {
      vocab_size: wordTokenizer.vocabSize,
      n_layer: 1,
      n_embd: 32,
      n_head: 2,
      n_positions: 64,
    });
    const params = gpt2(config).init(random.key(3));
    expect(E.isRight(await saveCheckpoint(wordDir, { modelType: "gpt2", config, params } as never)())).toBe(
      true,
    );
    expect(E.isRight(await saveTokenizer(wordTokenizer, join(wordDir, "tokenizer.json"))())).toBe(true);
    await writeFile(
      join(wordDir, "training_args.json"),
      JSON.stringify({ dataset_config: "wikitext-2-raw-v1", block_size: 16, seed: 7 }),
    );
  });

  it("generate: the prompt has no <eos> appended, the text is the words joined by spaces", async () => {
    const eos = wordTokenizer.eosTokenId!;
    const run = async (prompt: string) => {
      let result: GenerateResult | undefined;
      const io = capture();
      const argv = ["--model-dir", wordDir, "--prompt", prompt, "--max-new-tokens", "8", ...BACKEND];
      expect(await generateMain(argv, io, (r) => (result = r)), io.errText()).toBe(0);
      return result!;
    };
    const { promptIds, generation, texts } = await run("The bridge  began");
    expect(promptIds).toEqual(["The", "bridge", "began"].map((w) => wordTokenizer.tokenToId(w)));
    const generated = generation.sequences[0]!;
    const words = generated.filter((id) => id !== eos).map((id) => ` ${wordTokenizer.idToToken(id)}`);
    expect(texts[0]).toBe(`The bridge  began${words.join("")}`);
    expect(generation.stopReasons[0]).toBe(generated.at(-1) === eos ? "eos" : "max-new-tokens");
    expect((await run("")).promptIds).toEqual([eos]); // an empty prompt starts after an end of line
  });

  it("eval: the word-level perplexity is the perplexity (one token per word, <eos> per line)", async () => {
    let result: EvalResult | undefined;
    const io = capture();
    const argv = ["--model-dir", wordDir, "--data-dir", dataDir, ...BACKEND];
    expect(await evalMain(argv, io, (r) => (result = r)), io.errText()).toBe(0);
    expect(result!.wordPerplexity).toBeCloseTo(result!.perplexity, 6);
    const rows = WIKITEXT.split(/(?<=\n)/).map((line) => (line === "\n" ? "" : line));
    const words = rows.reduce((n, row) => n + row.split(/\s+/).filter((w) => w !== "").length + 1, 0);
    expect(io.outText()).toContain(`(${words} words, ${words} tokens)`);
  });
});
