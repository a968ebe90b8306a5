/**
 * End-to-end checks of issue #14 (the trainer's runs, output directories and errors), each on a tiny
 * GPT-2 and a tiny WikiText-shaped corpus written by the test.
 */
import { access, mkdtemp } from "node:fs/promises";
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
