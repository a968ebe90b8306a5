import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { countWordsOfRows, groupTexts, loadWikitext, tokenizeDataset } from "@scratchgrad/datasets";
import { loadCheckpoint } from "@scratchgrad/nn";
import { random } from "@scratchgrad/tensor";
import { loadTokenizer } from "@scratchgrad/tokenizer";
import * as E from "fp-ts/lib/Either.js";
import { beforeAll, describe, expect, it } from "vitest";
import { causalLmTask } from "../src/tasks/causal-lm.js";
import { maskedLmTask } from "../src/tasks/masked-lm.js";
import { evaluate } from "../src/train/trainer.js";
import { runScript } from "./cli.js";
import { makeWikitextDir } from "./fixtures.js";

let dataDir = "";
beforeAll(async () => {
  dataDir = await makeWikitextDir();
});

const common = (out: string, extra: string[] = []) => [
  "--dataset-config",
  "wikitext-2-v1",
  "--data-dir",
  dataDir,
  "--output-dir",
  out,
  "--vocab-size",
  "300",
  "--block-size",
  "32",
  "--per-device-train-batch-size",
  "4",
  "--per-device-eval-batch-size",
  "4",
  "--logging-steps",
  "2",
  "--threads",
  "2",
  ...extra,
];

const readJson = async (path: string) => JSON.parse(await readFile(path, "utf8"));

/** Recomputes the validation loss from the saved files alone, the way the trainer evaluated. */
const recomputeEvalLoss = async (out: string, objective: "causal" | "masked") => {
  const ckpt = await loadCheckpoint(out)();
  const tok = await loadTokenizer(join(out, "tokenizer.json"))();
  if (E.isLeft(ckpt) || E.isLeft(tok)) throw new Error("saved files do not load");
  const args = await readJson(join(out, "training_args.json"));
  const ds = await loadWikitext("wikitext-2-v1", { dataDir, splits: ["validation"] })();
  if (E.isLeft(ds)) throw new Error("fixture does not load");
  const tokenizer = tok.right;
  const encode = (texts: readonly string[]) =>
    tokenizer.encodeBatch(texts).map((e) => ({ ids: e.ids, specialTokensMask: e.specialTokensMask }));
  const tokenized = tokenizeDataset(encode)(ds.right.validation);
  const validation = groupTexts({ blockSize: args.block_size })(tokenized);
  const data = {
    train: validation,
    validation,
    validationWords: countWordsOfRows(ds.right.validation.columns.text),
    validationTokens: tokenized.columns.input_ids.reduce((s, r) => s + r.length, 0),
  };
  const task =
    objective === "causal"
      ? causalLmTask(ckpt.right.config as never)
      : maskedLmTask(ckpt.right.config as never, tokenizer.maskTokenId!);
  const evalKey = random.split(random.key(args.seed), 3)[2]!;
  return evaluate(task as never, ckpt.right.params, data, args.per_device_eval_batch_size, evalKey);
};

describe("train:gpt2 end to end (tiny model, tiny data)", () => {
  it("prints the lab's steps, writes loadable outputs, and its eval loss matches a recomputation", async () => {
    const out = await mkdtemp(join(tmpdir(), "sg-gpt2-"));
    const r = await runScript(
      "train-gpt2",
      common(out, ["--model", "gpt2-tiny", "--tokenizer", "bpe", "--max-steps", "6", "--save-steps", "3"]),
    );
    expect(r.code, r.stderr).toBe(0);
    for (const text of [
      "Random rows",
      "Tokenizer: byte-level BPE",
      "input_ids",
      "A decoded block",
      "GPT-2 model size",
      "| Epoch | Training Loss | Validation Loss |",
      "Perplexity:",
      "Word-level perplexity:",
    ]) {
      expect(r.stdout).toContain(text);
    }
    expect(r.stderr).toMatch(/6\/6 \[\d\d:\d\d<00:00, [\d.]+(it\/s|s\/it), epoch=/);
    const files = await readdir(out);
    for (const f of [
      "model.safetensors",
      "config.json",
      "tokenizer.json",
      "training_args.json",
      "trainer_state.json",
      "eval_results.json",
      "metrics.jsonl",
      "loss.svg",
      "README.md",
    ]) {
      expect(files).toContain(f);
    }
    const config = await readJson(join(out, "config.json"));
    expect(config.architectures).toEqual(["GPT2LMHeadModel"]);
    const results = await readJson(join(out, "eval_results.json"));
    const recomputed = await recomputeEvalLoss(out, "causal");
    expect(recomputed.evalLoss).toBeCloseTo(results.eval_loss, 5);
    expect(results.perplexity).toBeCloseTo(Math.exp(results.eval_loss), 3);
    const metrics = (await readFile(join(out, "metrics.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(metrics.map((m) => m.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(metrics.every((m) => m.loss > 0 && m.tokens_per_second > 0)).toBe(true);
    // a step (and the save at step 3) frees every tensor it made: as many alive after each step
    expect(metrics[0].live_tensors).toBeGreaterThan(0);
    expect(new Set(metrics.map((m) => m.live_tensors)).size, JSON.stringify(metrics)).toBe(1);
  });

  it("word-level by default on wikitext-2-v1: every word of the train split, <eos> per line, words = tokens", async () => {
    const out = await mkdtemp(join(tmpdir(), "sg-gpt2-word-"));
    const args = common(out, ["--max-steps", "2"]); // --tokenizer auto, the word-level recipe's model
    args.splice(args.indexOf("--vocab-size"), 2); // no cap: every word
    const r = await runScript("train-gpt2", [...args, "--save-steps", "0"]);
    expect(r.code, r.stderr).toBe(0);
    const trainWords = (await readFile(join(dataDir, "wiki.train.tokens"), "utf8")).split(/\s+/);
    const vocabSize = new Set(trainWords.filter((w) => w !== "")).size + 1; // + <eos>
    expect(r.stdout).toContain(
      `Tokenizer: WordLevel (whitespace words + <eos> per line), vocabulary ${vocabSize.toLocaleString("en-US")}`,
    );
    expect(r.stdout).toMatch(/Word-level perplexity: [\d.]+ \(validation: ([\d,]+) words, \1 tokens\)/);
    const tokenizer = await readJson(join(out, "tokenizer.json"));
    expect(tokenizer.model.type).toBe("WordLevel");
    const trainingArgs = await readJson(join(out, "training_args.json"));
    expect([
      trainingArgs.tokenizer,
      trainingArgs.num_train_epochs,
      trainingArgs.model,
      trainingArgs.learning_rate,
      trainingArgs.weight_decay,
      trainingArgs.optim,
      trainingArgs.muon_learning_rate,
      trainingArgs.position_init,
    ]).toEqual(["word-level", 1.8, "gpt2-mini-cpu", 6e-3, 0.01, "muon", 0.01, "sinusoidal"]);
    expect(trainingArgs.config_overrides).toBe("resid_pdrop=0,embd_pdrop=0,attn_pdrop=0");
    expect(Object.keys(tokenizer.model.vocab)).toHaveLength(vocabSize);
    const config = await readJson(join(out, "config.json"));
    expect([config.vocab_size, config.bos_token_id, config.eos_token_id]).toEqual([vocabSize, 0, 0]);
    expect([config.n_layer, config.n_embd, config.resid_pdrop, config.embd_pdrop, config.attn_pdrop]).toEqual(
      [4, 128, 0, 0, 0],
    );
    const tooSmall = await runScript("train-gpt2", [...args, "--vocab-size", "2", "--overwrite-output-dir"]);
    expect(tooSmall.code).toBe(2);
    expect(tooSmall.stderr).toMatch(/--vocab-size 2: trainWikitextWordLevel: vocabSize 2 leaves no room/);
  });

  it("Ctrl-C saves a checkpoint; resuming gives the same final loss as an uninterrupted run", async () => {
    const straight = await mkdtemp(join(tmpdir(), "sg-gpt2-a-"));
    const interrupted = await mkdtemp(join(tmpdir(), "sg-gpt2-b-"));
    const extra = ["--model", "gpt2-tiny", "--max-steps", "8", "--save-steps", "0"];
    const a = await runScript("train-gpt2", common(straight, extra));
    expect(a.code, a.stderr).toBe(0);
    const b = await runScript("train-gpt2", common(interrupted, extra), (output) =>
      /\| [3-5]\/8 \[/.test(output),
    );
    expect(b.code, b.stderr).toBe(130);
    expect(b.stdout).toMatch(/Saved .*checkpoint-\d+\. Resume with:/);
    const c = await runScript(
      "train-gpt2",
      common(interrupted, [...extra, "--resume-from-checkpoint", "latest"]),
    );
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toMatch(/Resuming from .*checkpoint-\d+ at step [3-6]/);
    const ra = await readJson(join(straight, "eval_results.json"));
    const rc = await readJson(join(interrupted, "eval_results.json"));
    expect(rc.eval_loss).toBe(ra.eval_loss);
    const la = (await readJson(join(straight, "trainer_state.json"))).log_history.filter(
      (e: { loss?: number; step: number }) => e.loss !== undefined && e.step === 8,
    );
    const lc = (await readJson(join(interrupted, "trainer_state.json"))).log_history.filter(
      (e: { loss?: number; step: number }) => e.loss !== undefined && e.step === 8,
    );
    // the step-8 log and the epoch's "Training Loss" (kept in trainer state across the resume)
    expect(lc.map((e: { loss: number }) => e.loss)).toEqual(la.map((e: { loss: number }) => e.loss));
    expect(lc).toHaveLength(2);
  });

  it("--optim muon --lr-scheduler-type cosine: the loss falls, the rates follow HF's cosine, training_args.json records HF's names, and a resume from its checkpoint is bit-exact", async () => {
    const first = await mkdtemp(join(tmpdir(), "sg-gpt2-muon-"));
    const resumed = await mkdtemp(join(tmpdir(), "sg-gpt2-muon-resumed-"));
    const extra = [
      ...["--model", "gpt2-tiny", "--max-steps", "8", "--save-steps", "4", "--logging-steps", "1"],
      ...["--optim", "muon", "--lr-scheduler-type", "cosine", "--learning-rate", "1e-3"],
      ...["--warmup-ratio", "0.25", "--muon-learning-rate", "0.03", "--adam-beta2", "0.98"],
    ];
    const a = await runScript("train-gpt2", common(first, extra));
    expect(a.code, a.stderr).toBe(0);
    const metrics = (await readFile(join(first, "metrics.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { loss: number; learning_rate: number });
    const losses = metrics.map((m) => m.loss);
    expect((losses[6]! + losses[7]!) / 2).toBeLessThan((losses[0]! + losses[1]!) / 2);
    // HF's cosine with 2 warmup steps of 8: step s (0-based) has peak·s/2, then peak·½(1 + cos(π(s − 2)/6))
    const cosine = (s: number) =>
      s < 2 ? (1e-3 * s) / 2 : 1e-3 * 0.5 * (1 + Math.cos((Math.PI * (s - 2)) / 6));
    for (const [s, m] of metrics.entries()) expect(m.learning_rate).toBeCloseTo(cosine(s), 12);
    const trainingArgs = await readJson(join(first, "training_args.json"));
    expect(trainingArgs).toMatchObject({
      optim: "muon",
      lr_scheduler_type: "cosine",
      warmup_ratio: 0.25,
      adam_beta1: 0.9,
      adam_beta2: 0.98,
      adam_epsilon: 1e-8,
      muon_learning_rate: 0.03,
      muon_momentum: 0.95,
    });
    const optimizer = await readJson(join(first, "checkpoint-4", "optimizer.json"));
    expect(JSON.stringify(optimizer.hyperparameters)).toContain('"name":"muon"');
    // the checkpoint restores every flag (muon, cosine, the betas); only the output dir differs
    const b = await runScript("train-gpt2", [
      ...["--resume-from-checkpoint", join(first, "checkpoint-4"), "--output-dir", resumed],
    ]);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toContain("at step 4");
    const [wa, wb] = await Promise.all([first, resumed].map((d) => readFile(join(d, "model.safetensors"))));
    expect(Buffer.compare(wa!, wb!)).toBe(0);
    expect((await readJson(join(resumed, "eval_results.json"))).eval_loss).toBe(
      (await readJson(join(first, "eval_results.json"))).eval_loss,
    );
    // Muon's optimizer state does not fit AdamW: one error line naming the file
    const other = await mkdtemp(join(tmpdir(), "sg-gpt2-muon-adamw-"));
    const c = await runScript("train-gpt2", [
      ...["--resume-from-checkpoint", join(first, "checkpoint-4"), "--output-dir", other, "--optim", "adamw"],
    ]);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/^error: loading \S+checkpoint-4\/optimizer: [^\n]+\n$/);
  });

  it("bad flag values are rejected before any work", async () => {
    const r = await runScript("train-gpt2", ["--learning-rate", "fast"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--learning-rate: expected a number, got "fast"');
    const h = await runScript("train-gpt2", ["--help"]);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain("--resume-from-checkpoint");
    expect(h.stdout).toMatch(/--tokenizer <auto\|bpe\|word-level> .*\(default: auto\)/);
    const unknownKey = await runScript("train-gpt2", ["--config-overrides", "n_layers=3"]);
    expect(unknownKey.code).toBe(2);
    expect(unknownKey.stderr).toContain(`--config-overrides: "n_layers" is not a key of this model's config`);
    const reserved = await runScript("train-gpt2", ["--config-overrides", "vocab_size=10"]);
    expect(reserved.code).toBe(2);
    expect(reserved.stderr).toContain(
      `"vocab_size" cannot be overridden: it is the tokenizer's (use --vocab-size)`,
    );
  });

  it("--config-overrides sets model config keys (HF run_clm's --config_overrides) and refuses a config the model cannot take", async () => {
    const out = await mkdtemp(join(tmpdir(), "sg-gpt2-overrides-"));
    const extra = ["--model", "gpt2-tiny", "--max-steps", "2", "--save-steps", "0"];
    const r = await runScript(
      "train-gpt2",
      common(out, [...extra, "--config-overrides", "n_layer=1,resid_pdrop=0"]),
    );
    expect(r.code, r.stderr).toBe(0);
    const config = await readJson(join(out, "config.json"));
    expect([config.n_layer, config.resid_pdrop, config.embd_pdrop, config.n_embd]).toEqual([1, 0, 0.1, 128]);
    expect((await readJson(join(out, "training_args.json"))).config_overrides).toBe(
      "n_layer=1,resid_pdrop=0",
    );
    const ckpt = await loadCheckpoint(out)();
    expect(E.isRight(ckpt) && (ckpt.right.config as { n_layer: number }).n_layer).toBe(1);
    const bad = await runScript("train-gpt2", common(out, [...extra, "--config-overrides", "n_head=3"]));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /--config-overrides n_head=3: GPT-2 config: n_embd 128 is not divisible by n_head 3/,
    );
  });
});

describe("train:bert end to end (tiny model, tiny data)", () => {
  it("trains with dynamic masking, writes loadable outputs, and its eval loss matches a recomputation", async () => {
    const out = await mkdtemp(join(tmpdir(), "sg-bert-"));
    const r = await runScript(
      "train-bert",
      common(out, ["--model", "bert-tiny", "--max-steps", "5", "--save-steps", "0"]),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Tokenizer: WordPiece");
    expect(r.stdout).toContain("BERT model size");
    const config = await readJson(join(out, "config.json"));
    expect(config.architectures).toEqual(["BertForMaskedLM"]);
    const results = await readJson(join(out, "eval_results.json"));
    const recomputed = await recomputeEvalLoss(out, "masked");
    expect(recomputed.evalLoss).toBeCloseTo(results.eval_loss, 5);
  });
});
