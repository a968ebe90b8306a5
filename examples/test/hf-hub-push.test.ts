/**
 * End-to-end check of issue #15's `--push-to-hub`: a tiny train:gpt2 run pushes to the loopback
 * stand-in hub (HF_ENDPOINT) — one commit per checkpoint with `--hub-strategy every_save`, then the
 * output directory at the end — and the token is never written or printed.
 */
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StandInHub, startStandInHub } from "../src/hub/stand-in-hub.js";
import { runScript } from "./cli.js";
import { makeWikitextDir } from "./fixtures.js";

const TOKEN = "hf_standin_secret_token";
let dataDir = "";
let hub: StandInHub;
beforeAll(async () => {
  dataDir = await makeWikitextDir();
  hub = await startStandInHub(TOKEN, "me");
});
afterAll(async () => {
  await hub?.close();
});

const tiny = (out: string, extra: string[] = []) => [
  ...["--dataset-config", "wikitext-2-v1", "--data-dir", dataDir, "--output-dir", out],
  ...["--model", "gpt2-tiny", "--vocab-size", "300", "--block-size", "32", "--threads", "2"],
  ...["--per-device-train-batch-size", "4", "--per-device-eval-batch-size", "4", "--max-steps", "4"],
  ...extra,
];

describe("--push-to-hub against the stand-in hub", () => {
  it("creates me/<name>, pushes checkpoint-2's model files, then the outputs at the end; the token stays secret", async () => {
    const root = await mkdtemp(join(tmpdir(), "sg-push-"));
    const out = join(root, "tiny-push");
    const env = { HF_ENDPOINT: hub.url, HF_TOKEN: TOKEN, HF_HOME: join(root, "hf-home") };
    const r = await runScript(
      "train-gpt2",
      tiny(out, ["--push_to_hub", "--save-steps", "2"]),
      undefined,
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    // the repo id defaults to the output directory's name, under the token's user
    const commits = hub.repos.get("me/tiny-push")!;
    expect(commits.map((c) => c.title)).toEqual([
      "initial commit",
      "Training in progress, step 2",
      "End of training",
    ]);
    const atStep2 = [...commits[1]!.files.keys()].sort();
    expect(atStep2).toEqual([
      "config.json",
      "generation_config.json",
      "model.safetensors",
      "special_tokens_map.json",
      "tokenizer.json",
      "tokenizer_config.json",
      "training_args.json",
    ]);
    const end = commits[2]!;
    for (const f of [
      "README.md",
      "all_results.json",
      "trainer_state.json",
      "model.safetensors",
      "tokenizer.json",
    ])
      expect(end.files.has(f), f).toBe(true);
    expect([...end.files.keys()].some((f) => f.startsWith("checkpoint-"))).toBe(false);
    expect(end.files.get("model.safetensors")).toEqual({
      content: await readFile(join(out, "model.safetensors")),
      lfs: true,
    });
    expect(r.stdout).toContain(`Pushed ${join(out, "checkpoint-2")} to me/tiny-push`);
    expect(r.stdout).toMatch(
      /Pushed \d+ files to http:\/\/127\.0\.0\.1:\d+\/me\/tiny-push\/commit\/[0-9a-f]{40}/,
    );
    // the token: not in what was pushed, not on the console
    for (const [path, file] of end.files) expect(file.content.includes(TOKEN), path).toBe(false);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
  });

  it("--hub-token wins over HF_TOKEN and is recorded as <HUB_TOKEN>; --hub-strategy end pushes once; no token or a bad one stops before any work", async () => {
    const root = await mkdtemp(join(tmpdir(), "sg-push-end-"));
    const out = join(root, "out");
    const env = { HF_ENDPOINT: hub.url, HF_TOKEN: "hf_wrong", HF_HOME: join(root, "hf-home") };
    const flags = [
      "--push-to-hub",
      "--hub-model-id",
      "team/explicit",
      "--hub-strategy",
      "end",
      "--save-steps",
      "2",
    ];
    // the refusals stop before any work, so they run beside the push
    const [r, none, bad, badId] = await Promise.all([
      runScript("train-gpt2", tiny(out, [...flags, "--hub-token", TOKEN]), undefined, env),
      runScript("train-gpt2", tiny(join(root, "none"), ["--push-to-hub"]), undefined, {
        HF_TOKEN: "",
        HF_ENDPOINT: hub.url,
      }),
      runScript(
        "train-gpt2",
        tiny(join(root, "bad"), ["--push-to-hub", "--hub-model-id", "team/x"]),
        undefined,
        env,
      ),
      runScript(
        "train-gpt2",
        tiny(join(root, "bad-id"), ["--push-to-hub", "--hub-model-id", "a/b/c"]),
        undefined,
        env,
      ),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(hub.repos.get("team/explicit")!.map((c) => c.title)).toEqual([
      "initial commit",
      "End of training",
    ]);
    const args = JSON.parse(await readFile(join(out, "training_args.json"), "utf8"));
    expect(args.hub_token).toBe("<HUB_TOKEN>");
    expect(args.argv).not.toContain("--hub-token");
    expect(await readFile(join(out, "README.md"), "utf8")).not.toContain(TOKEN);

    expect([none.code, none.stderr.trim()]).toEqual([
      2,
      "error: --push-to-hub needs a token with write access: pass --hub-token or set HF_TOKEN",
    ]);
    expect([badId.code, badId.stderr.trim()]).toEqual([
      2,
      "error: --hub-model-id a/b/c: give it as name or org/name (letters, digits, -, _, .)",
    ]);
    // an org/name id needs no user name, but the token is still checked before any work
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /^error: asking http:\/\/127\.0\.0\.1:\d+ whose token this is .*--hub-token \/ HF_TOKEN/,
    );
    expect(bad.stdout).not.toContain("Dataset");
  });
});
