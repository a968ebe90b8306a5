import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import * as sg from "../node.js";

describe("tensor safetensors files", () => {
  it("save then load gives identical tensors of every dtype", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sg-io-"));
    const path = join(dir, "model.safetensors");
    const tensors = {
      "h.0.attn.c_attn.weight": sg.random.normal(sg.random.key(1), [3, 5]),
      ids: sg.tensor(new Int32Array([1, -2, 3]), [3]),
      mask: sg.tensor(new Uint8Array([1, 0]), [2], "bool"),
    };
    const saved = await sg.io.saveTensors(path, tensors, { format: "pt" })();
    expect(E.isRight(saved)).toBe(true);
    const loaded = await sg.io.loadTensors(path)();
    if (E.isLeft(loaded)) throw new Error(loaded.left.message);
    expect(loaded.right.metadata).toEqual({ format: "pt" });
    for (const [name, t] of Object.entries(tensors)) {
      const back = loaded.right.tensors[name]!;
      expect(back.dtype).toBe(t.dtype);
      expect(back.shape).toEqual(t.shape);
      expect(Buffer.from(back.data().buffer).equals(Buffer.from(t.data().buffer))).toBe(true);
    }
  });

  it("a corrupt file is a Left naming the path, never a throw", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sg-io-"));
    const path = join(dir, "bad.safetensors");
    await writeFile(path, Buffer.from([255, 255, 255, 255, 0, 0, 0, 0, 1, 2]));
    const loaded = await sg.io.loadTensors(path)();
    expect(E.isLeft(loaded) && loaded.left.message.startsWith(path)).toBe(true);
  });
});
