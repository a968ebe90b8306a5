/**
 * Directories as Hugging Face writes them for the models people fine-tune from: generation_config.json
 * beside config.json, weights without the base-model prefix, a stored tied head, half precision and
 * sharded safetensors with model.safetensors.index.json.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromTypedArray, io, random, randomArrays, treeFlatten, treeMap } from "@scratchgrad/tensor";
import * as E from "fp-ts/lib/Either.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { evalContext } from "../layers/context.js";
import { bertConfig } from "../models/bert/config.js";
import { bert } from "../models/bert/model.js";
import { gpt2Config } from "../models/gpt2/config.js";
import { type Gpt2Params, gpt2 } from "../models/gpt2/model.js";
import { loadCheckpoint, saveCheckpoint } from "./files.js";
import { configJson } from "./hf-config.js";
import { type HostTensor, toStateDict } from "./state-dict.js";

const gptConfig = gpt2Config("gpt2", {
  vocab_size: 48,
  n_positions: 16,
  n_embd: 16,
  n_head: 2,
  n_layer: 2,
  bos_token_id: 47,
  eos_token_id: 47,
});
const model = gpt2(gptConfig);
const params = model.init(random.key(3));
const bertCfg = bertConfig("bert-tiny", {
  vocab_size: 32,
  hidden_size: 16,
  num_attention_heads: 2,
  intermediate_size: 32,
  max_position_embeddings: 16,
});
const bertParams = bert(bertCfg).init(random.key(4));

let root = "";
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "scratchgrad-hf-files-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

type Dtype = "F32" | "F16" | "BF16";
const records = (tensors: Map<string, HostTensor>, dtype: Dtype) =>
  Object.fromEntries([...tensors].map(([k, v]) => [k, { dtype, shape: v.shape, data: v.data }]));

/** Writes `tensors` as HF does for a sharded save: `shards` files and the index naming each tensor's file. */
const writeSharded = async (dir: string, tensors: Map<string, HostTensor>, dtype: Dtype, shards: number) => {
  const names = [...tensors.keys()].sort();
  const files = Array.from({ length: shards }, (_, i) => `model-0000${i + 1}-of-0000${shards}.safetensors`);
  const shardOf = (k: number) => files[Math.floor((k * shards) / names.length)]!;
  const weightMap: Record<string, string> = {};
  names.forEach((name, k) => {
    weightMap[name] = shardOf(k);
  });
  for (const file of files) {
    const part = new Map(names.filter((n) => weightMap[n] === file).map((n) => [n, tensors.get(n)!]));
    await writeFile(join(dir, file), io.serializeSafetensors(records(part, dtype), { format: "pt" }));
  }
  const totalSize = names.reduce((s, n) => s + tensors.get(n)!.data.length * (dtype === "F32" ? 4 : 2), 0);
  await writeFile(
    join(dir, "model.safetensors.index.json"),
    JSON.stringify({ metadata: { total_size: totalSize }, weight_map: weightMap }, null, 2),
  );
};

/** GPT2Model names (the hub's `gpt2` layout: no `transformer.` prefix) plus the tied `lm_head.weight`. */
const hubLayout = (p: Gpt2Params): Map<string, HostTensor> => {
  const dict = toStateDict(p);
  const out = new Map([...dict].map(([k, v]) => [k.replace(/^transformer\./, ""), v]));
  out.set("lm_head.weight", dict.get("transformer.wte.weight")!);
  return out;
};

const writeHfDir = async (name: string, tensors: Map<string, HostTensor>, dtype: Dtype, shards: number) => {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "config.json"), configJson("gpt2", gptConfig));
  if (shards === 1)
    await writeFile(join(dir, "model.safetensors"), io.serializeSafetensors(records(tensors, dtype)));
  else await writeSharded(dir, tensors, dtype, shards);
  return dir;
};

const inputIds = fromTypedArray(randomArrays.randint(random.key(9), 2 * 12, 0, 48), [2, 12], "int32");
const lossOf = (p: Gpt2Params) => model.loss(p, { inputIds }, evalContext).data()[0]!;
const bits = (data: ArrayLike<number>) => new Uint32Array(Float32Array.from(data).buffer);
const load = async (dir: string) => {
  const loaded = await loadCheckpoint(dir)();
  if (E.isLeft(loaded)) throw new Error(loaded.left.message);
  if (loaded.right.modelType !== "gpt2") throw new Error("expected GPT-2");
  return loaded.right;
};

describe("generation_config.json", () => {
  test("saveCheckpoint writes it for GPT-2 as transformers does (bos/eos ids, _from_model_config), not for BERT", async () => {
    const dir = join(root, "saved-gpt2");
    await saveCheckpoint(dir, { modelType: "gpt2", config: gptConfig, params })();
    const text = await readFile(join(dir, "generation_config.json"), "utf8");
    expect(text).toBe(
      '{\n  "_from_model_config": true,\n  "bos_token_id": 47,\n  "eos_token_id": 47,\n  "transformers_version": "4.46.3"\n}\n',
    );
    const bertDir = join(root, "saved-bert");
    await saveCheckpoint(bertDir, { modelType: "bert", config: bertCfg, params: bertParams })();
    await expect(readFile(join(bertDir, "generation_config.json"))).rejects.toThrow(/ENOENT/);
  });
});

describe("fine-tuning from HF-written GPT-2 files", () => {
  const rounded = (dtype: "F16" | "BF16") => (x: Float32Array) =>
    dtype === "F16"
      ? io.float16ToFloat32(io.float32ToFloat16(x))
      : io.bfloat16ToFloat32(io.float32ToBfloat16(x));

  test.each([
    ["F16", 2],
    ["F16", 1],
    ["BF16", 2],
    ["F32", 2],
  ] as const)(
    "%s in %i shard(s), no transformer. prefix, tied lm_head stored: the loss the files imply",
    async (dtype, shards) => {
      const dir = await writeHfDir(`gpt2-${dtype}-${shards}`, hubLayout(params), dtype, shards);
      const loaded = await load(dir);
      const original = treeFlatten(params);
      const got = treeFlatten(loaded.params);
      expect([...got.keys()].sort()).toEqual([...original.keys()].sort());
      const round = dtype === "F32" ? (x: Float32Array) => x : rounded(dtype);
      for (const [name, t] of original)
        expect(bits(got.get(name)!.data()), name).toEqual(bits(round(Float32Array.from(t.data()))));
      // the loaded model's loss is the loss of the rounded weights, exactly, and near the float32 one
      // (measured: F16 −1.7e-6, BF16 −3.9e-5 on a loss of 3.86)
      const fromFiles = lossOf(loaded.params);
      const f32 = lossOf(params);
      const roundedParams = treeMap(params, (t) =>
        fromTypedArray(round(Float32Array.from(t.data())), t.shape, "float32"),
      );
      expect(fromFiles).toBe(lossOf(roundedParams));
      expect(Math.abs(fromFiles - f32)).toBeLessThan(dtype === "F32" ? 1e-7 : dtype === "F16" ? 1e-4 : 1e-3);
      expect(fromFiles).toBeGreaterThan(Math.log(48) - 0.5); // an untrained model: about ln(vocab)
    },
  );

  test("a stored lm_head.weight that is not wte is refused, naming both", async () => {
    const tensors = hubLayout(params);
    const head = tensors.get("lm_head.weight")!;
    const changed = Float32Array.from(head.data);
    changed[5]! += 0.25;
    tensors.set("lm_head.weight", { shape: head.shape, data: changed });
    const dir = await writeHfDir("gpt2-untied", tensors, "F32", 1);
    const loaded = await loadCheckpoint(dir)();
    expect(E.isLeft(loaded) && loaded.left).toMatchObject({
      _tag: "UntiedWeights",
      key: "lm_head.weight",
      tiedTo: "transformer.wte.weight",
    });
  });

  test("index errors: a shard that lacks what the index places in it; a shard path leaving the directory; no weights", async () => {
    const dir = await writeHfDir("gpt2-bad-index", hubLayout(params), "F32", 2);
    const index = JSON.parse(await readFile(join(dir, "model.safetensors.index.json"), "utf8"));
    index.weight_map["h.9.ln_1.weight"] = "model-00001-of-00002.safetensors";
    await writeFile(join(dir, "model.safetensors.index.json"), JSON.stringify(index));
    const missing = await loadCheckpoint(dir)();
    expect(E.isLeft(missing) && missing.left.message).toMatch(
      /places h\.9\.ln_1\.weight in model-00001-of-00002/,
    );
    index.weight_map["h.9.ln_1.weight"] = "../model.safetensors";
    await writeFile(join(dir, "model.safetensors.index.json"), JSON.stringify(index));
    const escaping = await loadCheckpoint(dir)();
    expect(E.isLeft(escaping) && escaping.left.message).toMatch(/a file name in the same directory/);
    await rm(join(dir, "model.safetensors.index.json"));
    const none = await loadCheckpoint(dir)();
    expect(E.isLeft(none) && none.left).toMatchObject({ _tag: "IoError" });
    expect(E.isLeft(none) && none.left.message).toMatch(
      /neither model\.safetensors nor model\.safetensors\.index\.json/,
    );
  });
});

describe("HF-written BERT files", () => {
  const bertDict = () => toStateDict(bertParams);
  const writeBert = async (name: string, tensors: Map<string, HostTensor>) => {
    const dir = join(root, name);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "config.json"), configJson("bert", bertCfg));
    await writeSharded(dir, tensors, "F16", 2);
    return dir;
  };

  test("without the bert. prefix, tied decoder stored, F16 in two shards", async () => {
    const dict = bertDict();
    const tensors = new Map([...dict].map(([k, v]) => [k.replace(/^bert\./, ""), v]));
    tensors.set("cls.predictions.decoder.weight", dict.get("bert.embeddings.word_embeddings.weight")!);
    tensors.set("cls.predictions.decoder.bias", dict.get("cls.predictions.bias")!);
    const loaded = await loadCheckpoint(await writeBert("bert-bare", tensors))();
    if (E.isLeft(loaded) || loaded.right.modelType !== "bert") throw new Error("expected a BERT checkpoint");
    const w = bertParams.bert.embeddings.word_embeddings.weight.data() as Float32Array;
    expect(bits(loaded.right.params.bert.embeddings.word_embeddings.weight.data())).toEqual(
      bits(io.float16ToFloat32(io.float32ToFloat16(w))),
    );
  });

  test("a decoder bias that differs from cls.predictions.bias is refused", async () => {
    const dict = bertDict();
    dict.set("cls.predictions.decoder.bias", { shape: [32], data: new Float32Array(32).fill(1) });
    const loaded = await loadCheckpoint(await writeBert("bert-untied", dict))();
    expect(E.isLeft(loaded) && loaded.left).toMatchObject({
      _tag: "UntiedWeights",
      key: "cls.predictions.decoder.bias",
    });
  });
});
