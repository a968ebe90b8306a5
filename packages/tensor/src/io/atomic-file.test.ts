import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeFileAtomically } from "./atomic-file.js";

const fresh = () => mkdtemp(join(tmpdir(), "sg-atomic-"));

describe("writeFileAtomically", () => {
  it("writes text, bytes and chunks in order, replacing what was there, and leaves no temporary file", async () => {
    const dir = await fresh();
    const path = join(dir, "f.bin");
    await writeFile(path, "old contents that are longer");
    await writeFileAtomically(path, "héllo");
    expect(await readFile(path, "utf8")).toBe("héllo");
    await writeFileAtomically(path, new Uint8Array([1, 2, 3]));
    expect([...(await readFile(path))]).toEqual([1, 2, 3]);
    await writeFileAtomically(path, [new Uint8Array([4]), new Uint8Array(0), new Uint8Array([5, 6])]);
    expect([...(await readFile(path))]).toEqual([4, 5, 6]);
    expect(await readdir(dir)).toEqual(["f.bin"]);
  });

  it("creates the folder only when asked", async () => {
    const dir = await fresh();
    const path = join(dir, "a", "b", "f.txt");
    await expect(writeFileAtomically(path, "x")).rejects.toThrow();
    await writeFileAtomically(path, "x", { createDirectory: true });
    expect(await readFile(path, "utf8")).toBe("x");
  });

  it("on failure rethrows, keeps the old file and removes its temporary file", async () => {
    const dir = await fresh();
    const target = join(dir, "taken");
    await mkdir(join(target, "inside"), { recursive: true }); // renaming a file over a non-empty folder fails
    await expect(writeFileAtomically(target, "x")).rejects.toThrow();
    expect(await readdir(dir)).toEqual(["taken"]);
  });
});
