import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { io, random, treeFlatten } from "@scratchgrad/tensor";
import * as E from "fp-ts/lib/Either.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bertConfig } from "../models/bert/config.js";
import { bert, bertSpec } from "../models/bert/model.js";
import { GPT2_DEFAULTS, gpt2Config } from "../models/gpt2/config.js";
import { gpt2, gpt2Spec } from "../models/gpt2/model.js";
import { loadCheckpoint, saveCheckpoint } from "./files.js";
import { parseConfigJson } from "./hf-config.js";
import { BERT_LOAD_RULES, GPT2_LOAD_RULES } from "./hf-names.js";
import { fromRawTensors, fromStateDict, type HostTensor, toRawTensors, toStateDict } from "./state-dict.js";

const gptConfig = gpt2Config("gpt2", { vocab_size: 32, n_positions: 16, n_embd: 16, n_head: 2, n_layer: 2 });
const gptParams = gpt2(gptConfig).init(random.key(0));
const bertCfg = bertConfig("bert-tiny", {
  vocab_size: 32,
  hidden_size: 16,
  num_attention_heads: 2,
  intermediate_size: 32,
  max_position_embeddings: 16,
});
const bertParams = bert(bertCfg).init(random.key(1));

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "scratchgrad-nn-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const bits = (t: { data(): ArrayLike<number> }) => new Uint32Array(Float32Array.from(t.data()).buffer);

describe("round trip", () => {
  test("GPT-2: load(save(params)) is bit-exact, config included", async () => {
    const path = join(dir, "gpt2");
    expect(
      E.isRight(await saveCheckpoint(path, { modelType: "gpt2", config: gptConfig, params: gptParams })()),
    ).toBe(true);
    const loaded = await loadCheckpoint(path)();
    if (E.isLeft(loaded)) throw new Error(loaded.left.message);
    expect(loaded.right.modelType).toBe("gpt2");
    expect(loaded.right.config).toEqual(gptConfig);
    const a = treeFlatten(gptParams);
    const b = treeFlatten(loaded.right.params);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [name, t] of a) expect(bits(b.get(name)!)).toEqual(bits(t));
  });

  test("BERT: load(save(params)) is bit-exact, config included", async () => {
    const path = join(dir, "bert");
    expect(
      E.isRight(await saveCheckpoint(path, { modelType: "bert", config: bertCfg, params: bertParams })()),
    ).toBe(true);
    const loaded = await loadCheckpoint(path)();
    if (E.isLeft(loaded)) throw new Error(loaded.left.message);
    expect(loaded.right.modelType).toBe("bert");
    expect(loaded.right.config).toEqual(bertCfg);
    const a = treeFlatten(bertParams);
    const b = treeFlatten(loaded.right.params);
    for (const [name, t] of a) expect(bits(b.get(name)!)).toEqual(bits(t));
  });
});

describe("files as Hugging Face writes them", () => {
  test("model.safetensors: F32, HF names, tied lm_head not stored, header padded to 8, format=pt", async () => {
    const path = join(dir, "gpt2-layout");
    await saveCheckpoint(path, { modelType: "gpt2", config: gptConfig, params: gptParams })();
    const bytes = await readFile(join(path, "model.safetensors"));
    const n = Number(bytes.readBigUInt64LE(0));
    expect(n % 8).toBe(0);
    const header = JSON.parse(bytes.subarray(8, 8 + n).toString("utf8"));
    expect(header.__metadata__).toEqual({ format: "pt" });
    const names = Object.keys(header).filter((k) => k !== "__metadata__");
    expect(names).not.toContain("lm_head.weight");
    expect(names.sort()).toEqual([...gpt2(gptConfig).paramShapes().keys()].sort());
    expect(header["transformer.h.1.mlp.c_fc.weight"]).toMatchObject({ dtype: "F32", shape: [16, 64] });
    // tensors tile the data section in name order
    let end = 0;
    for (const name of [...names].sort()) {
      expect(header[name].data_offsets[0]).toBe(end);
      end = header[name].data_offsets[1];
    }
    expect(8 + n + end).toBe(bytes.length);
  });

  test("config.json: architectures, model_type, torch_dtype, transformers_version and every config key, sorted", async () => {
    const json = JSON.parse(await readFile(join(dir, "gpt2-layout", "config.json"), "utf8"));
    expect(json.architectures).toEqual(["GPT2LMHeadModel"]);
    expect(json.model_type).toBe("gpt2");
    expect(json.torch_dtype).toBe("float32");
    expect(typeof json.transformers_version).toBe("string");
    for (const key of Object.keys(GPT2_DEFAULTS)) expect(json).toHaveProperty(key);
    expect(Object.keys(json)).toEqual([...Object.keys(json)].sort());
    const bertJson = JSON.parse(await readFile(join(dir, "bert", "config.json"), "utf8"));
    expect(bertJson.architectures).toEqual(["BertForMaskedLM"]);
    expect(bertJson.model_type).toBe("bert");
  });

  test("reads the hub's bert-base-cased config.json", () => {
    const hub = {
      architectures: ["BertForMaskedLM"],
      attention_probs_dropout_prob: 0.1,
      gradient_checkpointing: false,
      hidden_act: "gelu",
      hidden_dropout_prob: 0.1,
      hidden_size: 768,
      initializer_range: 0.02,
      intermediate_size: 3072,
      layer_norm_eps: 1e-12,
      max_position_embeddings: 512,
      model_type: "bert",
      num_attention_heads: 12,
      num_hidden_layers: 12,
      pad_token_id: 0,
      position_embedding_type: "absolute",
      transformers_version: "4.6.0.dev0",
      type_vocab_size: 2,
      use_cache: true,
      vocab_size: 28996,
    };
    const parsed = parseConfigJson(hub);
    expect(parsed).toEqual(E.right({ modelType: "bert", config: bertConfig("bert-base-cased") }));
  });
});

describe("loading checks names and shapes with Either errors", () => {
  const gptDict = () => toStateDict(gptParams);
  const load = (d: Map<string, HostTensor>) => fromStateDict(gpt2Spec(gptConfig), d, GPT2_LOAD_RULES);

  test("missing key", () => {
    const d = gptDict();
    d.delete("transformer.h.1.ln_2.bias");
    const r = load(d);
    expect(r._tag === "Left" && r.left._tag).toBe("MissingKeys");
    expect(E.isLeft(r) && r.left.message).toMatch(/transformer\.h\.1\.ln_2\.bias/);
  });

  test("unexpected key", () => {
    const d = gptDict();
    d.set("transformer.h.2.ln_1.weight", { shape: [16], data: new Float32Array(16) });
    const r = load(d);
    expect(E.isLeft(r) && r.left).toMatchObject({
      _tag: "UnexpectedKeys",
      keys: ["transformer.h.2.ln_1.weight"],
    });
  });

  test("shape mismatch names both shapes", () => {
    const d = gptDict();
    d.set("transformer.wte.weight", { shape: [33, 16], data: new Float32Array(33 * 16) });
    const r = load(d);
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: "ShapeMismatch", expected: [32, 16], got: [33, 16] });
    expect(E.isLeft(r) && r.left.message).toMatch(/\[32, 16\].*\[33, 16\]/);
  });

  test("HF extras load: tied lm_head.weight, legacy attn buffers, names without the transformer. prefix", () => {
    const d = gptDict();
    d.set("lm_head.weight", d.get("transformer.wte.weight")!);
    d.set("transformer.h.0.attn.bias", { shape: [1, 1, 16, 16], data: new Float32Array(256) });
    expect(E.isRight(load(d))).toBe(true);
    const bare = new Map([...gptDict()].map(([k, v]) => [k.replace(/^transformer\./, ""), v]));
    const r = load(bare);
    if (E.isLeft(r)) throw new Error(r.left.message);
    expect(bits(r.right.transformer.wte.weight)).toEqual(bits(gptParams.transformer.wte.weight));
  });

  test("BERT extras load: tied decoder weight/bias, pooler, position_ids, LayerNorm gamma/beta", () => {
    const d = new Map(
      [...toStateDict(bertParams)].map(([k, v]) => [
        k.replace(/LayerNorm\.weight$/, "LayerNorm.gamma").replace(/LayerNorm\.bias$/, "LayerNorm.beta"),
        v,
      ]),
    );
    d.set("cls.predictions.decoder.weight", d.get("bert.embeddings.word_embeddings.weight")!);
    d.set("cls.predictions.decoder.bias", d.get("cls.predictions.bias")!);
    d.set("bert.pooler.dense.weight", { shape: [16, 16], data: new Float32Array(256) });
    d.set("bert.embeddings.position_ids", { shape: [1, 16], data: new Float32Array(16) });
    const r = fromStateDict(bertSpec(bertCfg), d, BERT_LOAD_RULES);
    if (E.isLeft(r)) throw new Error(r.left.message);
    expect(bits(r.right.bert.embeddings.LayerNorm.weight)).toEqual(
      bits(bertParams.bert.embeddings.LayerNorm.weight),
    );
  });

  test("file-level errors: integer dtype, bad file, unknown model_type, config/weights mismatch, missing directory", async () => {
    const ints = fromRawTensors({ w: { dtype: "I32", shape: [1], data: new Int32Array(1) } });
    expect(E.isLeft(ints) && ints.left).toMatchObject({ _tag: "UnsupportedDtype", key: "w", dtype: "I32" });
    expect(parseConfigJson({ model_type: "llama" })).toMatchObject({ left: { _tag: "UnknownModelType" } });
    expect(parseConfigJson({ model_type: "gpt2", n_embd: "768" })).toMatchObject({
      left: { _tag: "InvalidConfig" },
    });
    const missing = await loadCheckpoint(join(dir, "does-not-exist"))();
    expect(E.isLeft(missing) && missing.left._tag).toBe("IoError");
    const badDir = join(dir, "mismatch");
    await saveCheckpoint(badDir, { modelType: "gpt2", config: gptConfig, params: gptParams })();
    await writeFile(
      join(badDir, "config.json"),
      JSON.stringify({ ...gptConfig, model_type: "gpt2", n_layer: 3 }),
    );
    const mismatch = await loadCheckpoint(badDir)();
    expect(E.isLeft(mismatch) && mismatch.left._tag).toBe("MissingKeys");
    await writeFile(join(badDir, "model.safetensors"), new Uint8Array([1, 2, 3]));
    const garbage = await loadCheckpoint(badDir)();
    expect(E.isLeft(garbage) && garbage.left._tag).toBe("InvalidSafetensors");
  });

  test("half-precision HF files load as float32 (F16 values are exact in float32)", async () => {
    const path = join(dir, "gpt2-f16");
    await saveCheckpoint(path, { modelType: "gpt2", config: gptConfig, params: gptParams })();
    const f16 = Object.fromEntries(
      [...toStateDict(gptParams)].map(([k, v]) => [
        k,
        { dtype: "F16" as const, shape: v.shape, data: v.data },
      ]),
    );
    await writeFile(join(path, "model.safetensors"), io.serializeSafetensors(f16, { format: "pt" }));
    const loaded = await loadCheckpoint(path)();
    if (E.isLeft(loaded) || loaded.right.modelType !== "gpt2") throw new Error("expected a GPT-2 checkpoint");
    const wte = loaded.right.params.transformer.wte.weight.data();
    const expected = io.float16ToFloat32(
      io.float32ToFloat16(gptParams.transformer.wte.weight.data() as Float32Array),
    );
    expect(Float32Array.from(wte)).toEqual(expected);
  });

  test("host tensors ↔ safetensors records is exact, including an empty tensor", () => {
    const t = new Map<string, HostTensor>([
      ["b", { shape: [2, 2], data: new Float32Array([1.5, -0, Number.MIN_VALUE, 3e38]) }],
      ["a", { shape: [0], data: new Float32Array(0) }],
    ]);
    const parsed = io.parseSafetensors(io.serializeSafetensors(toRawTensors(t), { format: "pt" }));
    if (E.isLeft(parsed)) throw new Error(parsed.left.message);
    const back = fromRawTensors(parsed.right.tensors);
    if (E.isLeft(back)) throw new Error(back.left.message);
    expect(back.right.get("a")!.shape).toEqual([0]);
    expect(new Uint32Array(Float32Array.from(back.right.get("b")!.data).buffer)).toEqual(
      new Uint32Array(t.get("b")!.data.buffer),
    );
  });
});
