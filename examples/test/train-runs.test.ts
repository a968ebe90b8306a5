/**
 * End-to-end checks of issue #14 (the trainer's runs, output directories and errors), each on a tiny
 * GPT-2 and a tiny WikiText-shaped corpus written by the test.
 */
import { access, mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runPnpmScript, runScript } from "./cli.js";
import { makeWikitextDir } from "./fixtures.js";

let dataDir = "";
beforeAll(async () => {
  dataDir = await makeWikitextDir();
});

const tiny = (out: string, extra: string[] = []) => [
  "--dataset-config",
  "wikitext-2-v1",
  "--data-dir",
  dataDir,
  "--output-dir",
  out,
  "--model",
  "gpt2-tiny",
  "--block-size",
  "32",
  "--per-device-train-batch-size",
  "4",
  "--per-device-eval-batch-size",
  "4",
  "--logging-steps",
  "1",
  "--threads",
  "2",
  ...extra,
];

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe("Ctrl-C", () => {
  it("through `pnpm --filter examples train:gpt2` (SIGINT to the process group) saves a checkpoint that resumes", async () => {
    const out = await mkdtemp(join(tmpdir(), "sg-pnpm-int-"));
    const r = await runPnpmScript("train:gpt2", tiny(out, ["--max-steps", "40", "--save-steps", "0"]), (o) =>
      /\| [2-9]\/40 \[/.test(o),
    );
    // pnpm passes the signal on: a shell reports either as exit status 130
    expect(r.code === 130 || r.signal === "SIGINT", `${r.code} ${r.signal} ${r.stderr}`).toBe(true);
    expect(r.stderr).toContain("Interrupted: saving a checkpoint");
    const saved = /Saved (\S*checkpoint-(\d+))\./.exec(r.stdout);
    expect(saved, r.stdout).not.toBeNull();
    expect(await exists(join(saved![1]!, "model.safetensors"))).toBe(true);
    const resumed = await runScript(
      "train-gpt2",
      tiny(out, ["--max-steps", "12", "--save-steps", "0", "--resume-from-checkpoint", saved![1]!]),
    );
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`at step ${saved![2]}`);
  });
});

describe("the NaN guard", () => {
  it("keeps only checkpoints whose loss was finite, names the last one, and resuming from it (its flags restored) steps on", async () => {
    const out = await mkdtemp(join(tmpdir(), "sg-nan-"));
    const r = await runScript(
      "train-gpt2",
      tiny(out, ["--max-steps", "20", "--save-steps", "1", "--learning-rate", "1e6", "--warmup-ratio", "0"]),
    );
    expect(r.code, r.stderr).toBe(1);
    const m =
      /error: loss became (NaN|-?Infinity) at step (\d+);.* (\S+checkpoint-(\d+)) is the last checkpoint whose loss was finite/.exec(
        r.stderr,
      );
    expect(m, r.stderr).not.toBeNull();
    const [, , failed, lastGood, goodStep] = m!;
    expect(Number(goodStep)).toBeLessThan(Number(failed) - 1);
    // the checkpoints holding the parameters that gave the NaN are gone; the named one is the newest
    const left = (await readdir(out)).filter((n) => n.startsWith("checkpoint-"));
    expect(left.at(-1)).toBe(`checkpoint-${goodStep}`);
    const resumed = await runScript("train-gpt2", [
      "--resume-from-checkpoint",
      lastGood!,
      "--learning-rate",
      "1e-4",
      "--max-steps",
      String(Number(goodStep) + 1),
    ]);
    // the old guard saved the parameters that gave the NaN, so this failed at once with the same NaN;
    // the step after the named checkpoint is the one whose loss was finite
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`at step ${goodStep}`);
    expect(resumed.stderr).not.toContain("loss became");
  });
});
