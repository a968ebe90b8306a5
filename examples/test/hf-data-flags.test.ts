/**
 * End-to-end checks of issue #15's data and logging flags on a tiny GPT-2: the user's own files
 * (`--train-file` .txt, `--validation-file` .parquet), `--max-train-samples` / `--max-eval-samples` in
 * blocks, `--eval-strategy steps`, `--save-strategy epoch` and `--report-to tensorboard`.
 */
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { wikitextRows } from "@scratchgrad/datasets";
import { parquetWriteBuffer } from "hyparquet-writer";
import { beforeAll, describe, expect, it } from "vitest";
import { runScript } from "./cli.js";
import { makeWikitextDir } from "./fixtures.js";

let dataDir = "";
beforeAll(async () => {
  dataDir = await makeWikitextDir();
});

const readJson = async (path: string) => JSON.parse(await readFile(path, "utf8"));
const count = (haystack: Buffer, needle: string) => haystack.toString("latin1").split(needle).length - 1;

describe("your own files, block-counted samples, eval/save strategies, TensorBoard", () => {
  it("trains on train.txt + valid.parquet, cuts blocks as run_clm, evaluates every 2 steps, saves at epoch ends, writes TensorBoard events", async () => {
    const files = await mkdtemp(join(tmpdir(), "sg-own-files-"));
    await writeFile(join(files, "train.txt"), await readFile(join(dataDir, "wiki.train.tokens")));
    const validRows = wikitextRows(await readFile(join(dataDir, "wiki.valid.tokens"), "utf8"));
    await writeFile(
      join(files, "valid.parquet"),
      new Uint8Array(parquetWriteBuffer({ columnData: [{ name: "text", data: validRows, type: "STRING" }] })),
    );
    const out = join(files, "out");
    const r = await runScript("train-gpt2", [
      ...["--train_file", join(files, "train.txt"), "--validation_file", join(files, "valid.parquet")],
      ...["--output-dir", out, "--model", "gpt2-tiny", "--tokenizer", "word-level", "--block-size", "16"],
      ...["--per-device-train-batch-size", "2", "--per-device-eval-batch-size", "2", "--threads", "2"],
      ...["--max-train-samples", "6", "--max-eval-samples", "3", "--num-train-epochs", "2"],
      ...["--eval-strategy", "steps", "--eval-steps", "2", "--save-strategy", "epoch", "--save-steps", "1"],
      ...["--logging-steps", "1", "--report-to", "tensorboard"],
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Dataset train\.txt: train \d+ rows, validation \d+ rows/m);
    expect(r.stdout).toMatch(/Grouped into blocks of 16: train 6 of \d+, validation 3 of \d+/);
    // run_clm's samples are blocks: 6 training blocks in batches of 2 are 3 steps an epoch
    const train = await readJson(join(out, "train_results.json"));
    const evaluation = await readJson(join(out, "eval_results.json"));
    expect([train.train_samples, evaluation.eval_samples, train.epoch]).toEqual([6, 3, 2]);
    const state = await readJson(join(out, "trainer_state.json"));
    const evalSteps = state.log_history.filter((e: { eval_loss?: number }) => e.eval_loss !== undefined);
    expect(evalSteps.map((e: { step: number }) => e.step)).toEqual([2, 4, 6]);
    expect(state.eval_steps).toBe(2);
    // --save-strategy epoch: the end of epoch 1 (the last step writes the outputs instead); --save-steps ignored
    expect((await readdir(out)).filter((n) => n.startsWith("checkpoint-"))).toEqual(["checkpoint-3"]);
    const card = await readFile(join(out, "README.md"), "utf8");
    expect(card).toContain("trained from scratch on `train.txt`");
    expect(card).not.toContain("Salesforce/wikitext");
    // TensorBoard: runs/<date>_<host>/events.out.tfevents.*, one train/loss per log, one eval/loss per evaluation
    const [run] = await readdir(join(out, "runs"));
    expect(run).toMatch(/^[A-Z][a-z]{2}\d\d_\d\d-\d\d-\d\d_/);
    const [events] = await readdir(join(out, "runs", run!));
    expect(events).toMatch(/^events\.out\.tfevents\.\d+\./);
    const bytes = await readFile(join(out, "runs", run!, events!));
    expect(count(bytes, "brain.Event:2")).toBe(1);
    expect(count(bytes, "train/loss")).toBe(6);
    expect(count(bytes, "eval/loss")).toBe(3);
  });

  it("--validation-file without --train-file, and a file of another kind, are one error line", async () => {
    const out = await mkdtemp(join(tmpdir(), "sg-own-files-bad-"));
    await writeFile(join(out, "train.csv"), "text\na b c\n");
    const lone = await runScript("train-gpt2", [
      "--validation-file",
      join(out, "v.txt"),
      "--output-dir",
      join(out, "a"),
    ]);
    expect([lone.code, lone.stderr.trim()]).toEqual([
      2,
      "error: --validation-file needs --train-file (without it the data is WikiText-2)",
    ]);
    const csv = await runScript("train-gpt2", [
      "--train-file",
      join(out, "train.csv"),
      "--output-dir",
      join(out, "b"),
    ]);
    expect(csv.code).toBe(1);
    expect(csv.stderr).toMatch(
      /^error: .*train\.csv: a data file must be \.txt \(one row per line\) or \.parquet/,
    );
  });
});
