import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as E from "fp-ts/lib/Either.js";
import { parquetWriteBuffer } from "hyparquet-writer";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { column } from "../dataset/dataset.js";
import { parseSplitName } from "../dataset/datasetDict.js";
import { wikitextRows } from "../text/lines.js";
import { parquetUrl, parseWikitextConfig, textFileName } from "./config.js";
import type { FetchLike } from "./download.js";
import { formatWikitextError, type WikitextError } from "./errors.js";
import { loadWikitext, loadWikitextSplit, locateWikitextSplit, wikitextOptionsFromEnv } from "./load.js";

// A small file with what matters: blank and whitespace-only lines, headings, U+FEFF, non-ASCII.
const sample =
  " \n = Harbour Lights = \n \n Kōbe no Tōdai 3 : <unk> Lights \ufeff ( Japanese ) \n\t\n = = Gameplay = = \n";
const parquetOf = (text: string): Uint8Array =>
  new Uint8Array(
    parquetWriteBuffer({ columnData: [{ name: "text", data: wikitextRows(text), type: "STRING" }] }),
  );

const right = <A>(e: E.Either<WikitextError, A>): A => {
  if (E.isLeft(e)) throw new Error(formatWikitextError(e.left));
  return e.right;
};
const left = <A>(e: E.Either<WikitextError, A>): WikitextError => {
  if (E.isRight(e)) throw new Error("expected an error");
  return e.left;
};

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "scratchgrad-datasets-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const dir = async (name: string, files: Record<string, string | Uint8Array>): Promise<string> => {
  const d = join(root, name);
  for (const [file, content] of Object.entries(files)) {
    await mkdir(join(d, file, ".."), { recursive: true });
    await writeFile(join(d, file), content);
  }
  await mkdir(d, { recursive: true });
  return d;
};

const noFetch: FetchLike = async () => {
  throw new Error("the network must not be used here");
};

describe("row semantics", () => {
  it("the text file and the parquet file give identical rows, as Hugging Face yields them", async () => {
    const textDir = await dir("text", { "wiki.valid.raw": sample });
    const parquetDir = await dir("parquet", { "validation-00000-of-00001.parquet": parquetOf(sample) });
    const common = { cacheDir: join(root, "cache"), fetch: noFetch };
    const fromText = right(
      await loadWikitextSplit("wikitext-2-raw-v1", "validation", { dataDir: textDir, ...common })(),
    );
    const fromParquet = right(
      await loadWikitextSplit("wikitext-2-raw-v1", "validation", { dataDir: parquetDir, ...common })(),
    );
    expect(column(fromText, "text")).toEqual([
      "",
      " = Harbour Lights = \n",
      "",
      " Kōbe no Tōdai 3 : <unk> Lights \ufeff ( Japanese ) \n",
      "",
      " = = Gameplay = = \n",
    ]);
    expect(column(fromParquet, "text")).toEqual(column(fromText, "text"));
  });

  it("keeps a leading byte-order mark, as Python's utf-8 codec does", async () => {
    const d = await dir("bom", { "wiki.test.tokens": "\ufeff a \n" });
    const ds = right(
      await loadWikitextSplit("wikitext-2-v1", "test", { dataDir: d, fetch: noFetch, cacheDir: root })(),
    );
    expect(column(ds, "text")).toEqual(["\ufeff a \n"]);
  });
});

describe("source order", () => {
  it("dataDir, then WIKITEXT_DIR, then the cache; the first holding the split wins", async () => {
    const explicit = await dir("explicit", { "wiki.train.tokens": " explicit \n" });
    const env = await dir("env", { "wiki.train.tokens": " env \n", "wiki.valid.tokens": " env \n" });
    const cacheDir = join(root, "cache");
    await dir("cache/wikitext/wikitext-2-v1", {
      "train-00000-of-00001.parquet": parquetOf(" cache \n"),
      "validation-00000-of-00001.parquet": parquetOf(" cache \n"),
      "test-00000-of-00001.parquet": parquetOf(" cache \n"),
    });
    const options = { dataDir: explicit, envDir: env, cacheDir, fetch: noFetch };
    const dict = right(await loadWikitext("wikitext-2-v1", options)());
    expect(column(dict.train, "text")).toEqual([" explicit \n"]);
    expect(column(dict.validation, "text")).toEqual([" env \n"]);
    expect(column(dict.test, "text")).toEqual([" cache \n"]);
    const source = right(await locateWikitextSplit("wikitext-2-v1", "test", options)());
    expect(source).toEqual({
      origin: "cache",
      format: "parquet",
      path: join(cacheDir, "wikitext/wikitext-2-v1/test-00000-of-00001.parquet"),
    });
  });

  it("finds files in a <config>/ subfolder, so one folder can hold both configs", async () => {
    const d = await dir("both", {
      [`wikitext-2-raw-v1/${textFileName("wikitext-2-raw-v1", "validation")}`]: " raw \n",
      [`wikitext-2-v1/${textFileName("wikitext-2-v1", "validation")}`]: " tokens \n",
    });
    const options = { envDir: d, cacheDir: root, fetch: noFetch };
    const raw = right(await loadWikitextSplit("wikitext-2-raw-v1", "validation", options)());
    const tokens = right(await loadWikitextSplit("wikitext-2-v1", "validation", options)());
    expect([column(raw, "text")[0], column(tokens, "text")[0]]).toEqual([" raw \n", " tokens \n"]);
  });

  it("prefers the text file to the parquet file in the same folder", async () => {
    const d = await dir("mixed", {
      "wiki.test.raw": " text \n",
      "test-00000-of-00001.parquet": parquetOf(" parquet \n"),
    });
    const source = right(
      await locateWikitextSplit("wikitext-2-raw-v1", "test", { dataDir: d, cacheDir: root })(),
    );
    expect(source.format).toBe("text");
  });

  it("reads WIKITEXT_DIR only from the environment it is given", () => {
    expect(wikitextOptionsFromEnv({ WIKITEXT_DIR: "/data" })).toEqual({ envDir: "/data" });
    expect(wikitextOptionsFromEnv({})).toEqual({});
  });
});

describe("errors", () => {
  it("offline with no local copy: names WIKITEXT_DIR and --data-dir", async () => {
    const error = left(
      await loadWikitextSplit("wikitext-2-v1", "train", { cacheDir: root, download: false })(),
    );
    expect(error._tag).toBe("SplitNotFound");
    const message = formatWikitextError(error);
    expect(message).toMatch(/WIKITEXT_DIR/);
    expect(message).toMatch(/--data-dir/);
    expect(message).toContain(join(root, "wikitext/wikitext-2-v1/wiki.train.tokens"));
  });

  it("a split absent locally fails alone; the other splits still load", async () => {
    const d = await dir("valid-only", { "wiki.valid.raw": " v \n" });
    const options = { dataDir: d, cacheDir: join(root, "cache"), download: false } as const;
    expect(E.isRight(await loadWikitext("wikitext-2-raw-v1", { ...options, splits: ["validation"] })())).toBe(
      true,
    );
    const error = left(await loadWikitext("wikitext-2-raw-v1", options)());
    expect(error).toMatchObject({ _tag: "SplitNotFound", split: "train" });
  });

  it("a directory given explicitly that does not exist is an error, not a silent download", async () => {
    const missing = join(root, "nope");
    const error = left(
      await loadWikitextSplit("wikitext-2-v1", "train", { envDir: missing, fetch: noFetch })(),
    );
    expect(error).toEqual({ _tag: "DirectoryNotFound", dir: missing, origin: "WIKITEXT_DIR" });
    expect(formatWikitextError(error)).toMatch(/unset WIKITEXT_DIR/);
  });

  it("a corrupt parquet file and invalid UTF-8 are reported with their path", async () => {
    const d = await dir("bad", {
      "test-00000-of-00001.parquet": "not parquet",
      "wiki.valid.raw": new Uint8Array([0x61, 0xff, 0x0a]),
    });
    const options = { dataDir: d, cacheDir: root, fetch: noFetch };
    expect(left(await loadWikitextSplit("wikitext-2-raw-v1", "test", options)())).toMatchObject({
      _tag: "BadParquet",
    });
    const bad = left(await loadWikitextSplit("wikitext-2-raw-v1", "validation", options)());
    expect(bad).toMatchObject({ _tag: "ReadFailed", path: join(d, "wiki.valid.raw") });
  });

  it("parseWikitextConfig lists the valid names", () => {
    expect(parseWikitextConfig("wikitext-2-v1")).toEqual(E.right("wikitext-2-v1"));
    expect(parseWikitextConfig("wikitext-103-v1")).toEqual(
      E.left(expect.stringMatching(/wikitext-2-raw-v1, wikitext-2-v1/)),
    );
  });
});

describe("download", () => {
  const fakeHub =
    (files: Record<string, Uint8Array>, calls: string[]): FetchLike =>
    async (url) => {
      calls.push(url);
      const body = files[url];
      return {
        ok: body !== undefined,
        status: body ? 200 : 404,
        statusText: body ? "OK" : "Not Found",
        arrayBuffer: async () => (body ?? new Uint8Array()).slice().buffer,
      };
    };

  it("downloads a missing split into the cache once, then reads the cache", async () => {
    const url = parquetUrl("wikitext-2-raw-v1", "train");
    const calls: string[] = [];
    const options = { cacheDir: root, fetch: fakeHub({ [url]: parquetOf(sample) }, calls) };
    const first = right(await loadWikitextSplit("wikitext-2-raw-v1", "train", options)());
    expect(calls).toEqual([url]);
    expect(column(first, "text")).toEqual(wikitextRows(sample));
    const source = right(await locateWikitextSplit("wikitext-2-raw-v1", "train", options)());
    expect(source.origin).toBe("cache");
    expect(calls).toHaveLength(1);
  });

  it("HTTP errors, network errors and non-parquet bodies become SplitNotFound and leave no file behind", async () => {
    const url = parquetUrl("wikitext-2-v1", "test");
    const cases: [FetchLike, RegExp][] = [
      [fakeHub({}, []), /HTTP 404 Not Found/],
      [noFetch, /network must not be used/],
      [
        fakeHub({ [url]: new TextEncoder().encode("<html>rate limited</html>") }, []),
        /not a WikiText parquet/,
      ],
    ];
    for (const [fetch, reason] of cases) {
      const error = left(await loadWikitextSplit("wikitext-2-v1", "test", { cacheDir: root, fetch })());
      expect(error).toMatchObject({
        _tag: "SplitNotFound",
        download: { url, reason: expect.stringMatching(reason) },
      });
      expect(formatWikitextError(error)).toMatch(/WIKITEXT_DIR.*--data-dir/);
    }
    expect(await readdir(root)).toEqual([]);
  });

  it("works with the real fetch against a loopback HTTP server", async () => {
    const body = parquetOf(sample);
    const requested: string[] = [];
    const server = createServer((req, res) => {
      requested.push(req.url ?? "");
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const hubUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const ds = right(await loadWikitextSplit("wikitext-2-v1", "validation", { cacheDir: root, hubUrl })());
      expect(column(ds, "text")).toEqual(wikitextRows(sample));
      expect(requested).toEqual([
        "/datasets/Salesforce/wikitext/resolve/main/wikitext-2-v1/validation-00000-of-00001.parquet",
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("the test split", () => {
  it.each([
    ["wikitext-2-v1", "wiki.test.tokens"],
    ["wikitext-2-raw-v1", "wiki.test.raw"],
    ["wikitext-2-v1", "test-00000-of-00001.parquet"],
    ["wikitext-2-raw-v1", "wikitext-2-raw-v1/test-00000-of-00001.parquet"],
  ] as const)("loads %s's test split from %s, with the same rows as the text file", async (config, file) => {
    const content = file.endsWith(".parquet") ? parquetOf(sample) : sample;
    const d = await dir("data", { [file]: content });
    const options = { dataDir: d, cacheDir: join(root, "cache"), fetch: noFetch };
    const source = right(await locateWikitextSplit(config, "test", options)());
    expect(source).toEqual({
      origin: "dataDir",
      format: file.endsWith(".parquet") ? "parquet" : "text",
      path: join(d, file),
    });
    const ds = right(await loadWikitextSplit(config, "test", options)());
    expect(column(ds, "text")).toEqual(wikitextRows(sample));
  });

  it("downloads the hub's test parquet when no local copy exists", async () => {
    const url = parquetUrl("wikitext-2-v1", "test");
    expect(url).toBe(
      "https://huggingface.co/datasets/Salesforce/wikitext/resolve/main/wikitext-2-v1/test-00000-of-00001.parquet",
    );
    const calls: string[] = [];
    const fetch: FetchLike = async (u) => {
      calls.push(u);
      const body = parquetOf(sample);
      return { ok: true, status: 200, statusText: "OK", arrayBuffer: async () => body.slice().buffer };
    };
    const ds = right(await loadWikitextSplit("wikitext-2-v1", "test", { cacheDir: root, fetch })());
    expect(calls).toEqual([url]);
    expect(column(ds, "text")).toEqual(wikitextRows(sample));
    expect(await readdir(join(root, "wikitext", "wikitext-2-v1"))).toEqual(["test-00000-of-00001.parquet"]);
  });

  it("loadWikitext gives train, validation and test by default", async () => {
    const d = await dir("all", {
      "wiki.train.tokens": " a \n",
      "wiki.valid.tokens": " b \n",
      "wiki.test.tokens": " c \n c \n",
    });
    const dict = right(await loadWikitext("wikitext-2-v1", { dataDir: d, cacheDir: root, fetch: noFetch })());
    expect(Object.keys(dict)).toEqual(["train", "validation", "test"]);
    expect(column(dict.test, "text")).toEqual([" c \n", " c \n"]);
  });

  it("a copy without wiki.test.tokens names the missing file, the folder it belongs in, and the fix", async () => {
    // The layout of a copy made from the train and validation files only (as in /work/shared/data).
    const d = await dir("partial", {
      "wikitext-2-v1/wiki.train.tokens": " a \n",
      "wikitext-2-v1/wiki.valid.tokens": " b \n",
    });
    const error = left(
      await loadWikitextSplit("wikitext-2-v1", "test", { envDir: d, cacheDir: root, download: false })(),
    );
    expect(error).toMatchObject({
      _tag: "SplitNotFound",
      split: "test",
      incomplete: {
        dir: join(d, "wikitext-2-v1"),
        present: ["wiki.train.tokens", "wiki.valid.tokens"],
        missing: "wiki.test.tokens",
      },
    });
    const message = formatWikitextError(error);
    expect(message).toContain(
      `${join(d, "wikitext-2-v1")} holds wiki.train.tokens, wiki.valid.tokens but not wiki.test.tokens: copy wiki.test.tokens`,
    );
    expect(message).toMatch(/WIKITEXT_DIR or pass --data-dir/);
    // The download, when it fails, is still reported beside it.
    const offline = left(
      await loadWikitextSplit("wikitext-2-v1", "test", { envDir: d, cacheDir: root, fetch: noFetch })(),
    );
    expect(formatWikitextError(offline)).toMatch(/not wiki\.test\.tokens.*network must not be used/);
  });

  it("an empty folder gives the plain message, without guessing a folder", async () => {
    const d = await dir("empty", {});
    const error = left(
      await loadWikitextSplit("wikitext-2-raw-v1", "test", { dataDir: d, cacheDir: root, download: false })(),
    );
    expect(error).not.toHaveProperty("incomplete");
    expect(formatWikitextError(error)).toContain(join(d, "wiki.test.raw"));
  });

  it("parseSplitName accepts the three split names and lists them otherwise", () => {
    expect(parseSplitName("test")).toEqual(E.right("test"));
    expect(parseSplitName("validation")).toEqual(E.right("validation"));
    expect(parseSplitName("valid")).toEqual(
      E.left('unknown split "valid"; use one of train, validation, test'),
    );
  });
});
