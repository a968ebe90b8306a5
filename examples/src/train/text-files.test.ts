/** `--train-file` / `--validation-file`: HF's `text` builder rows, parquet's `text` column, run_clm's split. */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import * as E from "fp-ts/lib/Either.js";
import { parquetWriteBuffer } from "hyparquet-writer";
import { describe, expect, it } from "vitest";
import { loadTextFiles, readTextFile, splitForValidation, textFileRows } from "./text-files.js";

describe("textFileRows: Python's splitlines after universal newlines", () => {
  it("keeps each line's break (run_clm's keep_linebreaks) or drops it; blank lines are rows", () => {
    expect(textFileRows("a\r\n\nb\rc", true)).toEqual(["a\n", "\n", "b\n", "c"]);
    expect(textFileRows("a\r\n\nb\rc\n", false)).toEqual(["a", "", "b", "c"]);
    expect(textFileRows("x\u2028y\fz\x85", true)).toEqual(["x\u2028", "y\f", "z\x85"]);
    expect(textFileRows("", true)).toEqual([]);
  });

  it("the rows joined give the text back (with breaks), one row per line break", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", " ", "\n", "\r", "\v", "\u2029", "é") }), (text) => {
        const normalized = text.replace(/\r\n?/g, "\n");
        const rows = textFileRows(text, true);
        expect(rows.join("")).toBe(normalized);
        const breaks = (normalized.match(/[\n\v\u2029]/g) ?? []).length;
        expect(rows.length).toBe(breaks + (/[\n\v\u2029]$/.test(normalized) || normalized === "" ? 0 : 1));
        expect(textFileRows(text, false)).toEqual(rows.map((r) => r.replace(/[\n\v\u2029]$/, "")));
      }),
    );
  });
});

describe("splitForValidation: train[:p%] and train[p%:]", () => {
  it("rounds the boundary as datasets does (half to even)", () => {
    const rows = (n: number) => Array.from({ length: n }, (_, i) => String(i));
    expect(splitForValidation(rows(100), 5).validation).toEqual(rows(5));
    expect(splitForValidation(rows(100), 5).train).toHaveLength(95);
    expect(splitForValidation(rows(30), 5).validation).toHaveLength(2); // 1.5 → 2
    expect(splitForValidation(rows(50), 5).validation).toHaveLength(2); // 2.5 → 2
    expect(splitForValidation(rows(10), 0).validation).toHaveLength(0);
  });
});

describe("readTextFile / loadTextFiles", () => {
  it("reads .txt and .parquet, refuses other files and bad UTF-8 with the fix", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sg-text-files-"));
    await writeFile(join(dir, "train.txt"), "one two\n\nthree\n");
    await writeFile(
      join(dir, "valid.parquet"),
      new Uint8Array(
        parquetWriteBuffer({
          columnData: [{ name: "text", data: ["v one\n", "", "v two\n"], type: "STRING" }],
        }),
      ),
    );
    await writeFile(join(dir, "bad.txt"), Buffer.from([0x61, 0xff, 0x0a]));
    await writeFile(join(dir, "data.csv"), "text\na\n");
    const splits = await loadTextFiles({
      trainFile: join(dir, "train.txt"),
      validationFile: join(dir, "valid.parquet"),
      keepLinebreaks: true,
      validationSplitPercentage: 5,
    })();
    if (E.isLeft(splits)) throw new Error(splits.left.message);
    expect(splits.right.train.columns.text).toEqual(["one two\n", "\n", "three\n"]);
    expect(splits.right.validation.columns.text).toEqual(["v one\n", "", "v two\n"]);
    const csv = await readTextFile(join(dir, "data.csv"), true)();
    expect(E.isLeft(csv) && csv.left.message).toMatch(/must be \.txt .* or \.parquet/);
    const bad = await readTextFile(join(dir, "bad.txt"), true)();
    expect(E.isLeft(bad) && bad.left.message).toMatch(/not valid UTF-8/);
    const missing = await readTextFile(join(dir, "nope.txt"), true)();
    expect(E.isLeft(missing) && missing.left.message).toMatch(/cannot read .*nope\.txt/);
  });
});
