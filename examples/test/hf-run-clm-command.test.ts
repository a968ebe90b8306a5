/**
 * A run_clm command as Hugging Face's README writes it (snake_case, `--do_train --do_eval`,
 * `--dataset_name wikitext --dataset_config_name wikitext-2-raw-v1`) runs train:gpt2 on a tiny GPT-2,
 * with the test's own small WikiText files through `--data_dir`; then `--do_eval` alone re-scores the
 * saved model, and `--do_train` alone trains without evaluating.
 */
import { copyFile, mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runScript } from "./cli.js";
import { makeWikitextDir } from "./fixtures.js";

let dataDir = "";
let root = "";
beforeAll(async () => {
  // the raw config reads wiki.{train,valid}.raw
  const tokens = await makeWikitextDir(200, 40);
  dataDir = await mkdtemp(join(tmpdir(), "sg-wikitext-raw-"));
  await copyFile(join(tokens, "wiki.train.tokens"), join(dataDir, "wiki.train.raw"));
  await copyFile(join(tokens, "wiki.valid.tokens"), join(dataDir, "wiki.valid.raw"));
  root = await mkdtemp(join(tmpdir(), "sg-run-clm-"));
});

const readJson = async (path: string) => JSON.parse(await readFile(path, "utf8"));

// run_clm's README flags, then ours for a tiny model on the test's data
const runClm = (out: string, stages: string[], extra: string[] = []) => [
  ...["--dataset_name", "wikitext", "--dataset_config_name", "wikitext-2-raw-v1"],
  ...["--per_device_train_batch_size", "4", "--per_device_eval_batch_size", "4"],
  ...stages,
  ...["--output_dir", out],
  ...["--data_dir", dataDir, "--model", "gpt2-tiny", "--vocab_size", "300", "--block_size", "32"],
  ...["--logging_steps", "2", "--threads", "2", ...extra],
];

describe("a pasted run_clm command", () => {
  it("--do_train --do_eval trains and evaluates; --do_eval alone re-scores the saved model without training", async () => {
    const out = join(root, "test-clm");
    const r = await runScript("train-gpt2", runClm(out, ["--do_train", "--do_eval"], ["--max_steps", "4"]));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Dataset wikitext-2-raw-v1: train \d+ rows, validation \d+ rows/m);
    expect(r.stdout).toContain("Training 4 steps");
    const args = await readJson(join(out, "training_args.json"));
    expect([args.do_train, args.do_eval, args.dataset_config, args.tokenizer]).toEqual([
      true,
      true,
      "wikitext-2-raw-v1",
      "bpe",
    ]);
    expect(args.argv).toEqual(expect.arrayContaining(["--do-train", "--do-eval", "--dataset-name"]));
    const state = await readJson(join(out, "trainer_state.json"));
    expect(state.global_step).toBe(4);
    const evaluation = await readJson(join(out, "eval_results.json"));
    expect(Number.isFinite(evaluation.eval_loss)).toBe(true);
    // the last step evaluated (trainer_state.json keeps 6 decimals)
    const evals = state.log_history.filter((e: { eval_loss?: number }) => e.eval_loss !== undefined);
    expect(evals.at(-1).step).toBe(4);
    expect(evals.at(-1).eval_loss).toBeCloseTo(evaluation.eval_loss, 5);
    expect(r.stdout).toMatch(/^Perplexity: \d/m);

    // HF: `--model_name_or_path <dir> --do_eval` evaluates without training
    const again = await runScript("train-gpt2", [
      ...["--model_name_or_path", out, "--dataset_name", "wikitext"],
      ...["--dataset_config_name", "wikitext-2-raw-v1", "--do_eval", "--output_dir", join(root, "unused")],
      ...["--data_dir", dataDir, "--threads", "2"],
    ]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`eval_loss: ${evaluation.eval_loss.toFixed(4)}`);
    expect(again.stdout).not.toContain("Training");
    expect(await readdir(root)).not.toContain("unused");
  });

  it("--do_eval alone on a directory without a model is one usage error, before any work", async () => {
    const r = await runScript("train-gpt2", ["--do_eval", "--output_dir", root]);
    expect([r.code, r.stderr.trim()]).toEqual([
      2,
      `error: --do-eval without --do-train evaluates a saved model, and ${root} holds none (no config.json); pass --model-name-or-path (a local directory written by train:gpt2 or train:bert) or that run's --output-dir, or add --do-train`,
    ]);
  });

  it("--do_train alone trains without evaluating: no eval_results.json, no eval_loss anywhere", async () => {
    const out = join(root, "train-only");
    const r = await runScript("train-gpt2", runClm(out, ["--do_train"], ["--max_steps", "2"]));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Not evaluated (--do-train without --do-eval).");
    const files = await readdir(out);
    expect(files).toEqual(expect.arrayContaining(["model.safetensors", "train_results.json"]));
    expect(files).not.toContain("eval_results.json");
    expect(Object.keys(await readJson(join(out, "all_results.json")))).not.toContain("eval_loss");
    const state = await readJson(join(out, "trainer_state.json"));
    expect(state.global_step).toBe(2);
    expect(state.log_history.some((e: { eval_loss?: number }) => e.eval_loss !== undefined)).toBe(false);
  });
});
