import fc from "fast-check";
import * as E from "fp-ts/lib/Either.js";
import { parquetWriteBuffer } from "hyparquet-writer";
import { describe, expect, it } from "vitest";
import { column } from "../dataset/dataset.js";
import { wikitextRows } from "../text/lines.js";
import { fetchWikitextSplit, wikitextSplitFromBlob } from "./blobs.js";
import { parquetUrl } from "./config.js";
import type { FetchLike } from "./fetch.js";

const parquetOf = (text: string): Uint8Array =>
  new Uint8Array(
    parquetWriteBuffer({ columnData: [{ name: "text", data: wikitextRows(text), type: "STRING" }] }),
  );

// lines as WikiText has them: headings, blank lines, text with unicode
const textArb = fc
  .array(
    fc.oneof(fc.constant(""), fc.constant(" = Heading = "), fc.string({ unit: "grapheme", maxLength: 20 })),
    {
      maxLength: 12,
    },
  )
  .map((lines) => lines.map((l) => `${l}\n`).join(""));

const rows = (d: E.Either<unknown, { columnNames: readonly string[] }>): readonly unknown[] => {
  if (E.isLeft(d)) throw new Error(JSON.stringify(d.left));
  return column(d.right as never, "text");
};

describe("WikiText splits from Blobs", () => {
  it("a text File and its parquet give the rows Hugging Face gives for the text", async () => {
    await fc.assert(
      fc.asyncProperty(textArb, async (text) => {
        const expected = wikitextRows(text);
        const fromText = await wikitextSplitFromBlob(new File([text], "wiki.valid.tokens"))();
        const fromParquet = await wikitextSplitFromBlob(
          new File([parquetOf(text)], "validation-00000-of-00001.parquet"),
        )();
        expect(rows(fromText)).toEqual(expected);
        expect(rows(fromParquet)).toEqual(expected);
      }),
      { numRuns: 30 },
    );
  });

  it("invalid UTF-8 and a damaged parquet file are errors naming the file", async () => {
    const bad = await wikitextSplitFromBlob(
      new Blob([new Uint8Array([0xff, 0xfe, 0x41])]),
      "wiki.train.raw",
    )();
    expect(E.isLeft(bad) && bad.left).toMatchObject({ _tag: "ReadFailed", path: "wiki.train.raw" });
    const damaged = await wikitextSplitFromBlob(new File([new Uint8Array([1, 2, 3])], "train.parquet"))();
    expect(E.isLeft(damaged) && damaged.left).toMatchObject({ _tag: "BadParquet", path: "train.parquet" });
  });
});

describe("fetchWikitextSplit", () => {
  const stub =
    (status: number, body: Uint8Array, asked: string[]): FetchLike =>
    async (url) => {
      asked.push(url);
      return {
        ok: status === 200,
        status,
        statusText: status === 200 ? "OK" : "Not Found",
        arrayBuffer: async () => body.slice().buffer,
      };
    };

  it("fetches the split's parquet from the hub and reads its text column", async () => {
    const asked: string[] = [];
    const text = " = Valkyria = \n\n Senjō no Valkyria 3 \n";
    const got = await fetchWikitextSplit("wikitext-2-raw-v1", "validation", {
      fetch: stub(200, parquetOf(text), asked),
      hubUrl: "https://hub.example",
    })();
    expect(asked).toEqual([parquetUrl("wikitext-2-raw-v1", "validation", "https://hub.example")]);
    expect(rows(got)).toEqual(wikitextRows(text));
  });

  it("an HTTP error is SplitNotFound with the URL and the status", async () => {
    const got = await fetchWikitextSplit("wikitext-2-v1", "test", {
      fetch: stub(404, new Uint8Array(), []),
    })();
    expect(E.isLeft(got) && got.left).toMatchObject({
      _tag: "SplitNotFound",
      download: { url: parquetUrl("wikitext-2-v1", "test"), reason: "HTTP 404 Not Found" },
    });
  });
});
