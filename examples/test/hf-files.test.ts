/**
 * End-to-end checks of issue #15 item 1: the files a run leaves are the ones Hugging Face's Trainer and
 * run_clm leave, with their keys, in the output directory and in each checkpoint; and a run resumed
 * from such a checkpoint still continues bit for bit.
 */
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { HF_TRAINER_STATE_KEYS } from "../src/train/trainer-state-file.js";
import { runScript } from "./cli.js";
import { makeWikitextDir } from "./fixtures.js";

let dataDir = "";
beforeAll(async () => {
  dataDir = await makeWikitextDir();
});

const tiny = (out: string, extra: string[] = []) => [
  ...["--dataset-config", "wikitext-2-v1", "--data-dir", dataDir, "--output-dir", out],
  ...["--model", "gpt2-tiny", "--vocab-size", "300", "--block-size", "32"],
  ...["--per-device-train-batch-size", "4", "--per-device-eval-batch-size", "4", "--threads", "2"],
  ...extra,
];

const readJson = async (path: string) => JSON.parse(await readFile(path, "utf8"));

const EVAL_KEYS = [
  "epoch",
  "eval_loss",
  "eval_runtime",
  "eval_samples",
  "eval_samples_per_second",
  "eval_steps_per_second",
  "perplexity",
  "word_perplexity",
];
const TRAIN_KEYS = [
  "epoch",
  "total_flos",
  "train_loss",
  "train_runtime",
  "train_samples",
  "train_samples_per_second",
  "train_steps_per_second",
];

describe("the files Hugging Face reads, after a tiny train:gpt2 run", () => {
  it("output dir and checkpoints hold HF's tokenizer, generation, state and results files with HF's keys; a resume from the checkpoint is bit-exact", async () => {
    const out = await mkdtemp(join(tmpdir(), "sg-hf-files-"));
    const argv = tiny(out, ["--max-steps", "6", "--save-steps", "3", "--logging-steps", "2"]);
    const r = await runScript("train-gpt2", argv);
    expect(r.code, r.stderr).toBe(0);
    const files = await readdir(out);
    for (const f of [
      "tokenizer.json",
      "tokenizer_config.json",
      "special_tokens_map.json",
      "generation_config.json",
      "trainer_state.json",
      "train_results.json",
      "eval_results.json",
      "all_results.json",
      "README.md",
    ])
      expect(files).toContain(f);
    const checkpoint = join(out, "checkpoint-3");
    const inCheckpoint = await readdir(checkpoint);
    for (const f of ["tokenizer_config.json", "special_tokens_map.json", "generation_config.json"])
      expect(inCheckpoint).toContain(f);

    // trainer_state.json: TrainerState's fields and no others, in the output dir and the checkpoint
    const state = await readJson(join(out, "trainer_state.json"));
    expect(Object.keys(state)).toEqual([...HF_TRAINER_STATE_KEYS]);
    expect(Object.keys(await readJson(join(checkpoint, "trainer_state.json")))).toEqual([
      ...HF_TRAINER_STATE_KEYS,
    ]);
    expect([state.global_step, state.max_steps, state.num_input_tokens_seen]).toEqual([6, 6, 6 * 4 * 32]);
    expect(state.total_flos).toBeGreaterThan(0);

    // run_clm's metrics files
    const evalResults = await readJson(join(out, "eval_results.json"));
    const trainResults = await readJson(join(out, "train_results.json"));
    expect(Object.keys(evalResults)).toEqual(EVAL_KEYS);
    expect(Object.keys(trainResults)).toEqual(TRAIN_KEYS);
    expect(Object.keys(await readJson(join(out, "all_results.json")))).toEqual(
      [...new Set([...EVAL_KEYS, ...TRAIN_KEYS])].sort(),
    );
    expect(evalResults.perplexity).toBeCloseTo(Math.exp(evalResults.eval_loss), 6);
    expect(trainResults.total_flos).toBe(state.total_flos);
    const losses = (await readFile(join(out, "metrics.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).loss as number);
    expect(trainResults.train_loss).toBeCloseTo(losses.reduce((a, b) => a + b, 0) / losses.length, 6);

    // the tokenizer as AutoTokenizer reads it; the model card's front matter, command and Python
    const tokenizerConfig = await readJson(join(out, "tokenizer_config.json"));
    expect(tokenizerConfig.model_max_length).toBe(32);
    expect(typeof tokenizerConfig.tokenizer_class).toBe("string");
    const card = await readFile(join(out, "README.md"), "utf8");
    const front = /^---\n([\s\S]*?)\n---\n/.exec(card)?.[1] ?? "";
    for (const line of [
      "library_name: transformers",
      "license: mit",
      "pipeline_tag: text-generation",
      "datasets:\n- Salesforce/wikitext",
      "model-index:",
      "      type: text-generation",
      "      config: wikitext-2-v1",
      "      split: validation",
      `      value: ${Number(evalResults.perplexity.toFixed(4))}\n      name: Perplexity`,
    ])
      expect(front).toContain(line);
    expect(card).toContain(
      `pnpm --filter examples train:gpt2 -- --model gpt2-tiny --dataset-config wikitext-2-v1 --data-dir ${dataDir}`,
    );
    expect(card).toContain("AutoModelForCausalLM.from_pretrained(path)");
    expect(card).toContain("AutoTokenizer.from_pretrained(path)");
    expect(card).not.toContain("https://github.com/)");

    // the checkpoint (HF's trainer_state.json, our state in stateful_callbacks) resumes bit for bit
    const other = await mkdtemp(join(tmpdir(), "sg-hf-files-resumed-"));
    const resumed = await runScript("train-gpt2", [
      ...["--resume-from-checkpoint", checkpoint, "--output-dir", other],
    ]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain("at step 3");
    const [a, b] = await Promise.all([out, other].map((d) => readFile(join(d, "model.safetensors"))));
    expect(Buffer.compare(a!, b!)).toBe(0);
    const again = await readJson(join(other, "train_results.json"));
    expect([again.train_loss, again.total_flos]).toEqual([trainResults.train_loss, trainResults.total_flos]);
    expect((await readJson(join(other, "trainer_state.json"))).num_input_tokens_seen).toBe(6 * 4 * 32);
  });

  it("train:bert: a cased WordPiece stays cased for AutoTokenizer (do_lower_case false), and the card is a fill-mask one", async () => {
    const out = await mkdtemp(join(tmpdir(), "sg-hf-files-bert-"));
    const argv = tiny(out, ["--max-steps", "2", "--save-steps", "0", "--mlm_probability", "0.3"]).map((a) =>
      a === "gpt2-tiny" ? "bert-tiny" : a,
    );
    const r = await runScript("train-bert", argv);
    expect(r.code, r.stderr).toBe(0);
    const tokenizerConfig = await readJson(join(out, "tokenizer_config.json"));
    expect([tokenizerConfig.tokenizer_class, tokenizerConfig.do_lower_case]).toEqual([
      "BertTokenizer",
      false,
    ]);
    expect(tokenizerConfig.model_max_length).toBe(32);
    const specialTokens = await readJson(join(out, "special_tokens_map.json"));
    expect(specialTokens.mask_token).toBeDefined();
    const card = await readFile(join(out, "README.md"), "utf8");
    expect(card).toContain("pipeline_tag: fill-mask");
    expect(card).toContain("AutoModelForMaskedLM.from_pretrained(path)");
    expect(Object.keys(await readJson(join(out, "eval_results.json")))).toEqual(EVAL_KEYS);
    expect((await readJson(join(out, "training_args.json"))).mlm_probability).toBe(0.3);
  });

  it("takes a pasted HF command (snake_case flags), accumulates gradients, and prints HF's log line per --logging-steps", async () => {
    const out = await mkdtemp(join(tmpdir(), "sg-hf-flags-"));
    const r = await runScript("train-gpt2", [
      ...["--dataset_config", "wikitext-2-v1", "--data_dir", dataDir, "--output_dir", out],
      ...["--model", "gpt2-tiny", "--vocab_size", "300", "--block_size", "32", "--threads", "2"],
      ...[
        "--per_device_train_batch_size",
        "2",
        "--gradient_accumulation_steps",
        "2",
        "--learning_rate",
        "1e-3",
      ],
      ...["--max_steps", "4", "--logging_steps", "2", "--logging_first_step", "--save_steps", "0"],
    ]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split("\n").filter((l) => l.startsWith("{'loss'"));
    expect(lines).toHaveLength(3); // steps 1, 2 and 4
    for (const line of lines)
      expect(line).toMatch(
        /^\{'loss': \d+\.\d{1,4}, 'grad_norm': [\d.e+-]+, 'learning_rate': [\d.e+-]+, 'epoch': \d+\.\d{1,2}\}$/,
      );
    const args = await readJson(join(out, "training_args.json"));
    expect([args.gradient_accumulation_steps, args.learning_rate, args.logging_first_step]).toEqual([
      2,
      1e-3,
      true,
    ]);
    const state = await readJson(join(out, "trainer_state.json"));
    // 4 optimizer steps of 2 micro-batches of 2 blocks of 32 tokens
    expect([state.global_step, state.num_input_tokens_seen]).toEqual([4, 4 * 2 * 2 * 32]);
    expect(
      state.log_history
        .filter(
          (e: { loss?: number; eval_loss?: number }) => e.loss !== undefined && e.eval_loss === undefined,
        )
        .map((e: { step: number }) => e.step),
    ).toEqual([1, 2, 4]);
  });
});
