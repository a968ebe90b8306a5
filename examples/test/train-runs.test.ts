/**
 * End-to-end checks of issue #14 (the trainer's runs, output directories and errors), each on a tiny
 * GPT-2 and a tiny WikiText-shaped corpus written by the test.
 */
import { access, mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
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

const readJson = async (path: string) => JSON.parse(await readFile(path, "utf8"));
const metricSteps = async (out: string): Promise<number[]> =>
  (await readFile(join(out, "metrics.jsonl"), "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l).step);
const checkpointsIn = async (out: string): Promise<string[]> =>
  (await readdir(out))
    .filter((n) => /^checkpoint-\d+$/.test(n))
    .sort((x, y) => Number(x.slice(11)) - Number(y.slice(11)));
// HF's trainer_state.json has no run id: ours is kept with our other run state in stateful_callbacks
const runIdOf = async (dir: string): Promise<string> =>
  (await readJson(join(dir, "trainer_state.json"))).stateful_callbacks.ScratchgradRunState.attributes.run_id;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe("a reused output directory, and Ctrl-C through pnpm", () => {
  it("resumes from its last checkpoint, starts over only with --overwrite-output-dir, saves on Ctrl-C to the process group, and prunes only its own run", async () => {
    const out = await mkdtemp(join(tmpdir(), "sg-reuse-"));
    const first = tiny(out, ["--max-steps", "6", "--save-steps", "2", "--seed", "1"]);
    expect((await runScript("train-gpt2", first)).code).toBe(0);
    expect(await checkpointsIn(out)).toEqual(["checkpoint-2", "checkpoint-4"]);
    // the same command again: HF's get_last_checkpoint, said out loud; metrics.jsonl continues exactly
    const again = await runScript("train-gpt2", first);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`Checkpoint detected, resuming training at ${join(out, "checkpoint-4")}`);
    expect(await metricSteps(out)).toEqual(range(1, 6));
    const firstRun = await runIdOf(out);

    // a new run into the same directory, through the documented command, interrupted by Ctrl-C
    const second = ["--overwrite-output-dir", "--seed", "2", "--max-steps", "40", "--save-steps", "2"];
    const r = await runPnpmScript("train:gpt2", tiny(out, second), (o) => /\| [3-9]\/40 \[/.test(o));
    // pnpm passes the signal on: a shell reports either as exit status 130
    expect(r.code === 130 || r.signal === "SIGINT", `${r.code} ${r.signal} ${r.stderr}`).toBe(true);
    expect(r.stderr).toContain("Interrupted: saving a checkpoint");
    const saved =
      /Saved (\S*checkpoint-(\d+))\. Resume with:\n {2}pnpm --filter examples train:gpt2 -- (.*)/.exec(
        r.stdout,
      );
    expect(saved, r.stdout).not.toBeNull();
    const [, savedDir, savedStep, hint] = saved!;
    expect(await exists(join(savedDir!, "model.safetensors"))).toBe(true);
    const secondRun = await runIdOf(savedDir!);
    expect(secondRun).not.toBe(firstRun);
    for (const c of await checkpointsIn(out)) expect(await runIdOf(join(out, c))).toBe(secondRun);
    expect(await metricSteps(out)).toEqual(range(1, Number(savedStep)));

    // another run's checkpoint in the directory is never pruned
    await mkdir(join(out, "checkpoint-999"));
    await writeFile(join(out, "checkpoint-999", "trainer_state.json"), JSON.stringify({ run_id: "another" }));
    // what a save killed mid-way (SIGKILL, disk full) leaves behind is cleared
    await mkdir(join(out, "checkpoint-5.tmp-99999"));
    // the printed command, as printed, finishes the run
    const resumed = await runScript("train-gpt2", hint!.split(" "));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`Resuming from ${savedDir} at step ${savedStep}`);
    expect(await metricSteps(out)).toEqual(range(1, 40));
    expect(await checkpointsIn(out)).toEqual(["checkpoint-36", "checkpoint-38", "checkpoint-999"]);
    expect(await exists(join(out, "checkpoint-5.tmp-99999"))).toBe(false);
  });

  it("refuses a non-empty directory without checkpoints, and a file, before any work", async () => {
    const out = await mkdtemp(join(tmpdir(), "sg-nonempty-"));
    await writeFile(join(out, "notes.txt"), "mine");
    const [refused, file] = await Promise.all([
      runScript("train-gpt2", tiny(out, ["--max-steps", "2"])),
      runScript("train-gpt2", tiny(join(out, "notes.txt"), ["--max-steps", "2"])),
    ]);
    expect([refused.code, refused.stderr]).toEqual([
      2,
      `error: output directory ${out} already exists and is not empty; use --overwrite-output-dir to train into it from scratch, or another --output-dir\n`,
    ]);
    expect(refused.stdout).toBe("");
    expect(file.code).toBe(1);
    expect(file.stderr).toMatch(
      /^error: --output-dir \S+notes\.txt is a file, not a directory; choose another --output-dir\n$/,
    );
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
    // a damaged trainer_state.json is named, before any work
    await writeFile(join(lastGood!, "trainer_state.json"), '{"global_step": 3,');
    const damaged = await runScript("train-gpt2", ["--resume-from-checkpoint", lastGood!]);
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toMatch(
      /^error: \S+checkpoint-\d+\/trainer_state\.json is not a JSON object \([^\n]*\); the checkpoint is damaged\n$/,
    );
  });
});

describe("unusable inputs", () => {
  it("are one error line each, with exit 2 for usage and 1 for files", async () => {
    const out = await mkdtemp(join(tmpdir(), "sg-bad-"));
    const emptyValid = await mkdtemp(join(tmpdir(), "sg-empty-valid-"));
    await writeFile(
      join(emptyValid, "wiki.train.tokens"),
      await readFile(join(dataDir, "wiki.train.tokens")),
    );
    await writeFile(join(emptyValid, "wiki.valid.tokens"), "");
    const cases: [string[], number, RegExp][] = [
      [
        ["--resume-from-checkpoint", "/nonexistent"],
        1,
        /^error: --resume-from-checkpoint \/nonexistent: not a checkpoint \(no trainer_state\.json there\); pass a checkpoint-<step> directory of a run, or 'latest'$/,
      ],
      [
        [...tiny(join(out, "empty")), "--data-dir", emptyValid],
        1,
        /^error: the validation split \(0 rows\) has not enough text for one block of 32 tokens; lower --block-size$/,
      ],
      [
        tiny(join(out, "warmup"), ["--warmup-steps", "100000"]),
        2,
        /^error: --warmup-steps 100000 is longer than the run's \d+ steps; lower it or use --warmup-ratio$/,
      ],
    ];
    const results = await Promise.all(cases.map(([argv]) => runScript("train-gpt2", argv)));
    for (const [i, [argv, code, line]] of cases.entries()) {
      const r = results[i]!;
      const errors = r.stderr.split("\n").filter((l) => l.startsWith("error:") || l.includes("    at "));
      expect([r.code, errors.length], `${argv.join(" ")}\n${r.stderr}`).toEqual([code, 1]);
      expect(errors[0]).toMatch(line);
    }
  });
});
