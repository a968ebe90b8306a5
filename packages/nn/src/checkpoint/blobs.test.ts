import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { random, treeFlatten } from "@scratchgrad/tensor";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, test } from "vitest";
import { bertConfig } from "../models/bert/config.js";
import { bert } from "../models/bert/model.js";
import { gpt2Config } from "../models/gpt2/config.js";
import { gpt2 } from "../models/gpt2/model.js";
import { checkpointBlobs, loadCheckpointBlobs } from "./blobs.js";
import type { Checkpoint } from "./checkpoint.js";
import { saveCheckpoint } from "./files.js";

const gptConfig = gpt2Config("gpt2", { vocab_size: 32, n_positions: 16, n_embd: 16, n_head: 2, n_layer: 1 });
const bertCfg = bertConfig("bert-tiny", {
  vocab_size: 32,
  hidden_size: 16,
  num_attention_heads: 2,
  intermediate_size: 32,
  max_position_embeddings: 16,
  num_hidden_layers: 1,
});
const checkpoints: Checkpoint[] = [
  { modelType: "gpt2", config: gptConfig, params: gpt2(gptConfig).init(random.key(0)) },
  { modelType: "bert", config: bertCfg, params: bert(bertCfg).init(random.key(1)) },
];

const bits = (t: { data(): ArrayLike<number> }) => new Uint32Array(Float32Array.from(t.data()).buffer);

describe.each(checkpoints.map((c) => [c.modelType, c] as const))("%s checkpoint as Blobs", (_, ckpt) => {
  test("the Blobs are byte for byte the files saveCheckpoint writes, and load back bit-exact", async () => {
    const blobs = checkpointBlobs(ckpt);
    if (E.isLeft(blobs)) throw new Error(blobs.left.message);
    const dir = await mkdtemp(join(tmpdir(), "scratchgrad-blobs-"));
    try {
      expect(E.isRight(await saveCheckpoint(dir, ckpt)())).toBe(true);
      expect([...blobs.right.keys()].sort()).toEqual((await readdir(dir)).sort());
      for (const [name, blob] of blobs.right)
        expect(new Uint8Array(await blob.arrayBuffer())).toEqual(
          new Uint8Array(await readFile(join(dir, name))),
        );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const loaded = await loadCheckpointBlobs(blobs.right)();
    if (E.isLeft(loaded)) throw new Error(loaded.left.message);
    expect(loaded.right.config).toEqual(ckpt.config);
    const a = treeFlatten(ckpt.params);
    const b = treeFlatten(loaded.right.params);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [name, t] of a) expect(bits(b.get(name)!)).toEqual(bits(t));
  });

  test("a missing weights file is an error naming it", async () => {
    const blobs = checkpointBlobs(ckpt);
    if (E.isLeft(blobs)) throw new Error(blobs.left.message);
    const onlyConfig = new Map([...blobs.right].filter(([name]) => name !== "model.safetensors"));
    const loaded = await loadCheckpointBlobs(onlyConfig)();
    expect(E.isLeft(loaded) && loaded.left.message).toMatch(/missing model\.safetensors/);
  });
});
