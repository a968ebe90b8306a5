/**
 * End-to-end check of issue #15's `--model-name-or-path` / `--tokenizer-name`: fine-tuning starts from
 * a directory of HF-written files (the `transformer.` prefix, the tied `lm_head.weight` stored, F16
 * weights, tokenizer_config.json) at the loss those files imply; the same repo pushed to the stand-in
 * hub is downloaded into Python's cache layout and starts at the same loss; HF_HUB_OFFLINE and
 * `--config-overrides` are refused before any work, as in run_clm.
 */
import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tokenizeDataset } from "@scratchgrad/datasets";
import {
  bert,
  bertConfig,
  configJson,
  fromStateDict,
  GPT2_LOAD_RULES,
  gpt2,
  gpt2Config,
  gpt2Spec,
  saveCheckpoint,
  toStateDict,
} from "@scratchgrad/nn";
import { io, random } from "@scratchgrad/tensor";
import {
  formatTokenizerError,
  savePretrainedTokenizer,
  trainWikitextWordLevel,
  trainWordPiece,
} from "@scratchgrad/tokenizer";
import * as E from "fp-ts/lib/Either.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hubEnvironment } from "../src/hub/environment.js";
import { pushToHub } from "../src/hub/push.js";
import { type StandInHub, startStandInHub } from "../src/hub/stand-in-hub.js";
import { causalLmTask } from "../src/tasks/causal-lm.js";
import { batchEncoder, firstBlocks, groupBlocks } from "../src/train/lm-data.js";
import { textFileRows } from "../src/train/text-files.js";
import { evaluate, runKeys } from "../src/train/trainer.js";
import { runScript } from "./cli.js";
import { makeWikitextDir } from "./fixtures.js";

const TOKEN = "hf_pretrained_token";
const BLOCK = 16;
let hub: StandInHub;
let root = "";
let trainFile = "";
let validFile = "";
let pretrainedDir = "";
let expectedLoss = 0;
let vocabSize = 0;

const f16 = (x: Float32Array) => io.float16ToFloat32(io.float32ToFloat16(x));

beforeAll(async () => {
  hub = await startStandInHub(TOKEN, "me");
  root = await mkdtemp(join(tmpdir(), "sg-pretrained-"));
  const wikitext = await makeWikitextDir(120, 40);
  trainFile = join(root, "train.txt");
  validFile = join(root, "valid.txt");
  await writeFile(trainFile, await readFile(join(wikitext, "wiki.train.tokens")));
  await writeFile(validFile, await readFile(join(wikitext, "wiki.valid.tokens")));
  const rows = textFileRows(await readFile(trainFile, "utf8"), true);

  // the "pretrained" model, as HF writes it: tokenizer files, config.json, F16 weights named
  // transformer.* with the tied lm_head.weight stored; wte scaled up so its loss is far from a fresh init's
  const tokenizer = trainWikitextWordLevel(rows);
  vocabSize = tokenizer.vocabSize;
  const config = gpt2Config("gpt2-tiny", {
    vocab_size: tokenizer.vocabSize,
    n_positions: 32,
    n_embd: 16,
    n_head: 2,
    n_layer: 1,
    resid_pdrop: 0,
    embd_pdrop: 0,
    attn_pdrop: 0,
    bos_token_id: tokenizer.eosTokenId ?? 0,
    eos_token_id: tokenizer.eosTokenId ?? 0,
  });
  const dict = toStateDict(gpt2(config).init(random.key(11)));
  const weights = new Map(
    [...dict].map(([name, t]) => [
      name,
      { shape: t.shape, data: f16(name === "transformer.wte.weight" ? t.data.map((x) => x * 40) : t.data) },
    ]),
  );
  weights.set("lm_head.weight", weights.get("transformer.wte.weight")!);
  pretrainedDir = join(root, "tiny-pretrained");
  await mkdir(pretrainedDir);
  await writeFile(join(pretrainedDir, "config.json"), configJson("gpt2", config));
  await writeFile(
    join(pretrainedDir, "model.safetensors"),
    io.serializeSafetensors(
      Object.fromEntries([...weights].map(([k, v]) => [k, { dtype: "F16", shape: v.shape, data: v.data }])),
      { format: "pt" },
    ),
  );
  const saved = await savePretrainedTokenizer(tokenizer, pretrainedDir, { modelMaxLength: 32 })();
  if (E.isLeft(saved)) throw new Error(formatTokenizerError(saved.left));

  // the loss these files imply on the run's first batch: all 4 training blocks (--max-train-samples 4,
  // batch 4; the mean over the blocks does not depend on their order), no dropout in the config
  const params = fromStateDict(gpt2Spec(config), weights, GPT2_LOAD_RULES);
  if (E.isLeft(params)) throw new Error(params.left.message);
  const tokenized = tokenizeDataset(batchEncoder(tokenizer))({
    numRows: rows.length,
    columnNames: ["text"],
    columns: { text: rows },
  });
  const blocks = firstBlocks(groupBlocks(tokenized, BLOCK, "causal-lm"), 4);
  const data = { train: blocks, validation: blocks, validationWords: 1, validationTokens: 1 };
  expectedLoss = evaluate(
    causalLmTask(config) as never,
    params.right,
    data,
    4,
    runKeys(42).evaluation,
  ).evalLoss;
});
afterAll(async () => {
  await hub?.close();
});

const fineTune = (out: string, model: string, extra: string[] = []) => [
  ...["--model-name-or-path", model, "--train-file", trainFile, "--validation-file", validFile],
  ...[
    "--output-dir",
    out,
    "--block-size",
    String(BLOCK),
    "--max-train-samples",
    "4",
    "--max-eval-samples",
    "2",
  ],
  ...["--per-device-train-batch-size", "4", "--per-device-eval-batch-size", "2", "--max-steps", "2"],
  ...["--logging-steps", "1", "--threads", "2", "--learning-rate", "1e-3"],
  ...extra,
];

const firstLoss = async (out: string): Promise<number> =>
  JSON.parse((await readFile(join(out, "metrics.jsonl"), "utf8")).split("\n")[0]!).loss;

describe("fine-tuning from a pretrained model", () => {
  it("from a directory of HF-written files: starts at the loss the files imply; the card names the base model", async () => {
    // a run that ignored the files would start near ln(vocab): the scaled embeddings are far from it
    expect(Math.abs(expectedLoss - Math.log(vocabSize))).toBeGreaterThan(0.5);
    const out = join(root, "from-dir");
    const r = await runScript("train-gpt2", fineTune(out, pretrainedDir));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`(pretrained, from ${pretrainedDir})`);
    expect(r.stdout).toContain(`(pretrained ${pretrainedDir}, vocab ${vocabSize})`);
    expect(await firstLoss(out)).toBeCloseTo(expectedLoss, 4);
    const card = await readFile(join(out, "README.md"), "utf8");
    expect(card).toContain(`base_model: ${JSON.stringify(pretrainedDir)}`);
    expect(card).toContain(`fine-tuned from \`${pretrainedDir}\``);
    // the fine-tuned model keeps the pretrained config and tokenizer
    expect(JSON.parse(await readFile(join(out, "config.json"), "utf8")).n_embd).toBe(16);
    expect(await readFile(join(out, "tokenizer.json"), "utf8")).toBe(
      await readFile(join(pretrainedDir, "tokenizer.json"), "utf8"),
    );
  });

  it("from a hub id: downloaded into $HF_HOME/hub/models--me--tiny-pretrained/snapshots/<commit>, same start; HF_HUB_OFFLINE and --config-overrides refused before any work", async () => {
    const pushed = await pushToHub(
      pretrainedDir,
      { repoId: "me/tiny-pretrained" },
      hubEnvironment({ HF_ENDPOINT: hub.url, HF_TOKEN: TOKEN }),
    )();
    if (E.isLeft(pushed)) throw new Error(pushed.left.message);
    const home = join(root, "hf-home");
    const env = { HF_ENDPOINT: hub.url, HF_TOKEN: TOKEN, HF_HOME: home };
    const out = join(root, "from-hub");
    // the refusals stop before any work, so they run beside the fine-tuning
    const [r, offline, overrides] = await Promise.all([
      runScript("train-gpt2", fineTune(out, "me/tiny-pretrained"), undefined, env),
      runScript("train-gpt2", fineTune(join(root, "offline"), "me/never-pushed"), undefined, {
        ...env,
        HF_HUB_OFFLINE: "1",
      }),
      runScript(
        "train-gpt2",
        fineTune(join(root, "overrides"), pretrainedDir, ["--config-overrides", "n_layer=2"]),
      ),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const snapshots = join(home, "hub", "models--me--tiny-pretrained", "snapshots");
    expect(await readdir(snapshots)).toEqual([pushed.right.commitOid]);
    expect(r.stdout).toContain(`(pretrained, from ${join(snapshots, pushed.right.commitOid)})`);
    expect(await firstLoss(out)).toBeCloseTo(expectedLoss, 4);

    expect(offline.code).toBe(1);
    expect(offline.stderr).toMatch(
      /^error: --model-name-or-path me\/never-pushed: HF_HUB_OFFLINE is set and me\/never-pushed@main is not in the cache/,
    );
    expect([overrides.code, overrides.stderr.trim()]).toEqual([
      2,
      "error: --config-overrides can't be used in combination with --model-name-or-path (the pretrained model's config.json is used as it is), as in run_clm",
    ]);
    expect(overrides.stdout).toBe("");
  });

  it("train:bert fine-tunes a BERT directory (its WordPiece stays cased); train:gpt2 refuses it before any work", async () => {
    const rows = textFileRows(await readFile(trainFile, "utf8"), true);
    const tokenizer = trainWordPiece(rows, { vocabSize: 200, minFrequency: 2 });
    const config = bertConfig("bert-tiny", {
      vocab_size: tokenizer.vocabSize,
      hidden_size: 16,
      num_attention_heads: 2,
      intermediate_size: 32,
      num_hidden_layers: 1,
      max_position_embeddings: 32,
      pad_token_id: tokenizer.padTokenId ?? 0,
    });
    const dir = join(root, "tiny-bert");
    const saved = await saveCheckpoint(dir, {
      modelType: "bert",
      config,
      params: bert(config).init(random.key(5)),
    })();
    if (E.isLeft(saved)) throw new Error(saved.left.message);
    const tok = await savePretrainedTokenizer(tokenizer, dir, { modelMaxLength: 32 })();
    if (E.isLeft(tok)) throw new Error(formatTokenizerError(tok.left));
    const out = join(root, "bert-out");
    const [r, wrong] = await Promise.all([
      runScript("train-bert", fineTune(out, dir, ["--max-steps", "1"])),
      runScript("train-gpt2", fineTune(join(root, "gpt2-on-bert"), dir)),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`BERT model size`);
    expect(r.stdout).toContain(`(pretrained ${dir}, vocab ${tokenizer.vocabSize})`);
    expect(JSON.parse(await readFile(join(out, "config.json"), "utf8")).hidden_size).toBe(16);
    expect(JSON.parse(await readFile(join(out, "tokenizer_config.json"), "utf8")).do_lower_case).toBe(false);
    expect([wrong.code, wrong.stderr.trim()]).toEqual([
      2,
      `error: --model-name-or-path ${dir} is a bert model; this script fine-tunes gpt2 models (use train:bert)`,
    ]);
  });
});
