import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RawTensorInput } from "./dtype.js";
import { readSafetensorsFile, writeSafetensorsFile } from "./file.js";
import { serializeSafetensors } from "./serialize.js";

/** Byte equality of two typed arrays (vitest's deep equality is slow on large typed arrays). */
const sameBytes = (a: ArrayBufferView, b: ArrayBufferView): boolean =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "scratchgrad-safetensors-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const tensors: Record<string, RawTensorInput> = {
  "h.0.attn.c_attn.weight": {
    dtype: "F32",
    shape: [512, 1024],
    data: new Float32Array(512 * 1024).map((_, i) => i),
  },
  ids: { dtype: "I64", shape: [3], data: new BigInt64Array([1n, 2n, 50256n]) },
};

describe("writeSafetensorsFile / readSafetensorsFile", () => {
  it("writes the same bytes as serializeSafetensors, reads them back, and leaves no temp file", async () => {
    const path = join(dir, "model.safetensors");
    await writeFile(path, "old contents");
    expect(await writeSafetensorsFile(path, tensors, { step: "7" })()).toEqual({
      _tag: "Right",
      right: undefined,
    });
    expect(sameBytes(await readFile(path), serializeSafetensors(tensors, { step: "7" }))).toBe(true);
    expect(await readdir(dir)).toEqual(["model.safetensors"]);

    const read = await readSafetensorsFile(path)();
    if (read._tag === "Left") throw new Error(read.left.message);
    expect(read.right.metadata).toEqual({ step: "7" });
    for (const [name, tensor] of Object.entries(tensors)) {
      const back = read.right.tensors[name]!;
      expect([back.dtype, back.shape]).toEqual([tensor.dtype, tensor.shape]);
      expect(sameBytes(back.data, tensor.data)).toBe(true);
    }
  });

  it("returns an IoError naming the path when the file is missing", async () => {
    const path = join(dir, "missing.safetensors");
    const result = await readSafetensorsFile(path)();
    expect(result).toMatchObject({ _tag: "Left", left: { _tag: "IoError", path } });
    if (result._tag === "Left") expect(result.left.message).toContain(path);
  });

  it("prefixes parse errors with the path", async () => {
    const path = join(dir, "junk.safetensors");
    await writeFile(path, "not a safetensors file");
    const result = await readSafetensorsFile(path)();
    if (result._tag === "Right") throw new Error("expected a Left");
    expect(result.left.message.startsWith(`${path}: `)).toBe(true);
  });

  it("rejects invalid tensors without touching the disk", async () => {
    const path = join(dir, "bad.safetensors");
    const bad = { w: { dtype: "F32", shape: [2], data: new Float32Array(3) } } as const;
    const result = await writeSafetensorsFile(path, bad)();
    expect(result).toMatchObject({ _tag: "Left", left: { _tag: "InvalidTensorData", tensor: "w" } });
    expect(await readdir(dir)).not.toContain("bad.safetensors");
  });

  it("returns an IoError when the directory does not exist", async () => {
    const path = join(dir, "no", "such", "dir.safetensors");
    expect(await writeSafetensorsFile(path, tensors)()).toMatchObject({
      _tag: "Left",
      left: { _tag: "IoError" },
    });
  });
});
