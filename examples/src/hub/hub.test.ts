/**
 * push_to_hub and snapshot downloads through `@huggingface/hub`, against a stand-in hub on 127.0.0.1
 * that serves the endpoints the library calls (no other network).
 */
import { createHash } from "node:crypto";
import { lstat, mkdir, mkdtemp, readFile, readlink, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gpt2, gpt2Config, loadCheckpoint, saveCheckpoint } from "@scratchgrad/nn";
import { random, treeFlatten } from "@scratchgrad/tensor";
import * as E from "fp-ts/lib/Either.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cachedSnapshot, resolvePretrained } from "./download.js";
import { type HubEnvironment, hubEnvironment } from "./environment.js";
import { defaultIgnore, pushToHub } from "./push.js";
import { type StandInHub, startStandInHub } from "./stand-in-hub.js";

const TOKEN = "hf_standin_token";
let hub: StandInHub;
let root = "";
let env: HubEnvironment;

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const gitOid = (b: Buffer) => createHash("sha1").update(`blob ${b.length}\0`).update(b).digest("hex");

beforeAll(async () => {
  hub = await startStandInHub(TOKEN);
  root = await mkdtemp(join(tmpdir(), "scratchgrad-hub-"));
  env = hubEnvironment({ HF_ENDPOINT: `${hub.url}/`, HF_TOKEN: TOKEN, HF_HOME: join(root, "hf-home") });
});
afterAll(async () => {
  await hub?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

/** An output directory as train:gpt2 leaves it, with the things a push leaves out. */
const outputDir = async (name: string, weights: Buffer) => {
  const dir = join(root, name);
  await mkdir(join(dir, "checkpoint-10"), { recursive: true });
  await writeFile(join(dir, "config.json"), '{"model_type": "gpt2"}\n');
  await writeFile(join(dir, "model.safetensors"), weights);
  await writeFile(join(dir, "README.md"), "---\nlibrary_name: transformers\n---\n# tiny\n");
  await writeFile(join(dir, "checkpoint-10", "model.safetensors"), weights);
  await writeFile(join(dir, ".lock"), "");
  return dir;
};

describe("hubEnvironment: huggingface_hub's variables", () => {
  it("reads HF_ENDPOINT, HF_TOKEN, HF_HUB_OFFLINE and the cache folder as Python does", () => {
    expect(hubEnvironment({ HF_HOME: "/data/hf" })).toMatchObject({
      endpoint: "https://huggingface.co",
      cacheDir: "/data/hf/hub",
      offline: false,
      token: undefined,
    });
    expect(hubEnvironment({ HF_HOME: "/data/hf", HF_HUB_CACHE: "/fast/cache" }).cacheDir).toBe("/fast/cache");
    expect(hubEnvironment({ XDG_CACHE_HOME: "/x" }).cacheDir).toBe("/x/huggingface/hub");
    for (const on of ["1", "TRUE", "yes", "On"])
      expect(hubEnvironment({ HF_HUB_OFFLINE: on }).offline).toBe(true);
    for (const off of ["0", "false", ""]) expect(hubEnvironment({ HF_HUB_OFFLINE: off }).offline).toBe(false);
    expect(hubEnvironment({ HF_ENDPOINT: "http://127.0.0.1:9/" }).endpoint).toBe("http://127.0.0.1:9");
  });
});

describe("pushToHub", () => {
  const weights = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 37) % 256));

  it("creates the repo and uploads the output files in one commit, weights through LFS", async () => {
    const dir = await outputDir("push-1", weights);
    const pushed = await pushToHub(dir, { repoId: "me/tiny-gpt2", commitMessage: "End of training" }, env)();
    if (E.isLeft(pushed)) throw new Error(pushed.left.message);
    expect(pushed.right.created).toBe(true);
    expect(pushed.right.files).toEqual(["README.md", "config.json", "model.safetensors"]);
    const commits = hub.repos.get("me/tiny-gpt2")!;
    expect(commits).toHaveLength(2); // the empty initial commit, then ours
    const commit = commits[1]!;
    expect(commit.oid).toBe(pushed.right.commitOid);
    expect(commit.title).toBe("End of training");
    expect([...commit.files.keys()].sort()).toEqual(["README.md", "config.json", "model.safetensors"]);
    expect(commit.files.get("model.safetensors")).toEqual({ content: weights, lfs: true });
    expect(commit.files.get("config.json")!.lfs).toBe(false);
    expect(hub.requests.filter((r) => r.includes("/commit/"))).toHaveLength(1);
  });

  it("a second push adds one commit to the existing repo", async () => {
    const dir = await outputDir("push-2", weights);
    await writeFile(join(dir, "eval_results.json"), '{"eval_loss": 3.2}\n');
    const pushed = await pushToHub(
      dir,
      { repoId: "me/tiny-gpt2", commitMessage: "Training in progress, step 20" },
      env,
    )();
    if (E.isLeft(pushed)) throw new Error(pushed.left.message);
    expect(pushed.right.created).toBe(false);
    const commits = hub.repos.get("me/tiny-gpt2")!;
    expect(commits).toHaveLength(3);
    expect(commits[2]!.files.get("eval_results.json")!.content.toString()).toBe('{"eval_loss": 3.2}\n');
  });

  it("refuses without a token (before any request), with a bad token (401, with the fix), and a bare name", async () => {
    const dir = await outputDir("push-3", weights);
    const before = hub.requests.length;
    const none = await pushToHub(dir, { repoId: "me/x" }, { ...env, token: undefined })();
    expect(E.isLeft(none) && none.left).toMatchObject({ _tag: "MissingToken" });
    expect(E.isLeft(none) && none.left.message).toMatch(/--hub-token or set HF_TOKEN/);
    expect(hub.requests.length).toBe(before);
    const bad = await pushToHub(dir, { repoId: "me/y" }, env, "hf_wrong")();
    expect(E.isLeft(bad) && bad.left).toMatchObject({ _tag: "RequestFailed", status: 401 });
    expect(E.isLeft(bad) && bad.left.message).toMatch(/write access/);
    const bare = await pushToHub(dir, { repoId: "tiny" }, env)();
    expect(E.isLeft(bare) && bare.left._tag).toBe("InvalidRepoId");
  });

  it("leaves out what HF's Trainer leaves out", () => {
    expect(
      ["checkpoint-500/model.safetensors", "_private", ".git/HEAD", "a.tmp", "runs.tmp-12/x"].every(
        defaultIgnore,
      ),
    ).toBe(true);
    expect(["model.safetensors", "runs/events.out", "checkpoint.md"].some(defaultIgnore)).toBe(false);
  });
});

describe("resolvePretrained: Python's cache layout", () => {
  it("downloads a repo into models--org--name/{blobs,refs,snapshots}, symlinks into blobs", async () => {
    const snapshot = await resolvePretrained("me/tiny-gpt2", env)();
    if (E.isLeft(snapshot)) throw new Error(snapshot.left.message);
    const head = hub.repos.get("me/tiny-gpt2")!.at(-1)!;
    const storage = join(root, "hf-home", "hub", "models--me--tiny-gpt2");
    expect(snapshot.right).toBe(join(storage, "snapshots", head.oid));
    expect((await readFile(join(storage, "refs", "main"), "utf8")).trim()).toBe(head.oid);
    for (const [path, file] of head.files) {
      expect(await readFile(join(snapshot.right, path))).toEqual(file.content);
      const link = join(snapshot.right, path);
      expect((await lstat(link)).isSymbolicLink()).toBe(true);
      // LFS files are stored under their sha256, others under their git blob id, as huggingface_hub does
      const blob = file.lfs ? sha256(file.content) : gitOid(file.content);
      expect(await readlink(link)).toBe(join("..", "..", "blobs", blob));
    }
  });

  it("HF_HUB_OFFLINE: the cached snapshot without a request; a repo not cached is an error", async () => {
    const offline = { ...env, offline: true };
    const before = hub.requests.length;
    const cached = await resolvePretrained("me/tiny-gpt2", offline)();
    expect(E.isRight(cached) && cached.right).toBe(
      await cachedSnapshot("me/tiny-gpt2", "main", env.cacheDir),
    );
    const missing = await resolvePretrained("me/never-pushed", offline)();
    expect(E.isLeft(missing) && missing.left).toMatchObject({
      _tag: "NotInCache",
      repoId: "me/never-pushed",
    });
    expect(hub.requests.length).toBe(before);
  });

  it("a local directory is used as it is; a name that is neither is refused", async () => {
    const dir = await outputDir("local", Buffer.from("x"));
    expect(await resolvePretrained(dir, env)()).toEqual(E.right(dir));
    const bad = await resolvePretrained("../../etc", env)();
    expect(E.isLeft(bad) && bad.left._tag).toBe("InvalidRepoId");
    const unknown = await resolvePretrained("me/unknown", env)();
    expect(E.isLeft(unknown) && unknown.left).toMatchObject({ _tag: "RequestFailed", status: 404 });
  });

  it("a pushed GPT-2 checkpoint comes back from the hub bit for bit", async () => {
    const config = gpt2Config("gpt2", { vocab_size: 40, n_positions: 16, n_embd: 16, n_head: 2, n_layer: 1 });
    const params = gpt2(config).init(random.key(5));
    const dir = join(root, "gpt2-out");
    await saveCheckpoint(dir, { modelType: "gpt2", config, params })();
    const pushed = await pushToHub(dir, { repoId: "me/gpt2-roundtrip" }, env)();
    expect(E.isRight(pushed) && pushed.right.files).toEqual([
      "config.json",
      "generation_config.json",
      "model.safetensors",
    ]);
    const snapshot = await resolvePretrained("me/gpt2-roundtrip", env)();
    if (E.isLeft(snapshot)) throw new Error(snapshot.left.message);
    const loaded = await loadCheckpoint(snapshot.right)();
    if (E.isLeft(loaded)) throw new Error(loaded.left.message);
    const a = treeFlatten(params);
    const b = treeFlatten(loaded.right.params);
    for (const [name, t] of a) expect(Array.from(b.get(name)!.data())).toEqual(Array.from(t.data()));
  });
});
