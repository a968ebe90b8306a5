import { stat } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import * as E from "fp-ts/lib/Either.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import { type Dataset, fromColumns } from "../dataset/dataset.js";
import { type DatasetDict, type SplitName, splitNames } from "../dataset/datasetDict.js";
import { parquetFileName, parquetUrl, textFileName, type WikitextConfig } from "./config.js";
import { downloadParquet, type FetchLike } from "./download.js";
import type { WikitextError } from "./errors.js";
import { readParquetRows, readTextRows } from "./files.js";
import type { TextRow } from "./readers.js";

/** A WikiText row: one line of the file, as Hugging Face yields it. */
export type { TextRow } from "./readers.js";

/** Where to look for WikiText-2, and whether to download it. */
export interface WikitextLoadOptions {
  /** A directory given explicitly (a `--data-dir` flag); searched first. */
  readonly dataDir?: string;
  /** The value of `WIKITEXT_DIR`, read by the caller at the program's edge (see {@link wikitextOptionsFromEnv}). */
  readonly envDir?: string;
  /** Download cache root (default {@link defaultCacheDir}); files go to `<cacheDir>/wikitext/<config>/`. */
  readonly cacheDir?: string;
  /** Download missing splits from the Hugging Face hub into the cache (default true). */
  readonly download?: boolean;
  /** The fetch used to download (default `globalThis.fetch`). */
  readonly fetch?: FetchLike;
  /** Hub address (default https://huggingface.co). */
  readonly hubUrl?: string;
}

/** Where a split was found. */
export interface WikitextSource {
  readonly origin: "dataDir" | "WIKITEXT_DIR" | "cache" | "download";
  readonly format: "text" | "parquet";
  readonly path: string;
}

/**
 * `~/.cache/scratchgrad/datasets`.
 *
 * @example
 * defaultCacheDir("/home/ada"); // "/home/ada/.cache/scratchgrad/datasets"
 */
export const defaultCacheDir = (home: string = homedir()): string =>
  join(home, ".cache", "scratchgrad", "datasets");

/**
 * Reads the loader's settings from an environment; call it once at the program's edge with `process.env`.
 *
 * @example
 * loadWikitext("wikitext-2-v1", { ...wikitextOptionsFromEnv(process.env), dataDir: flags.dataDir });
 */
export const wikitextOptionsFromEnv = (
  env: Readonly<Record<string, string | undefined>>,
): WikitextLoadOptions => (env.WIKITEXT_DIR ? { envDir: env.WIKITEXT_DIR } : {});

type Probe = "file" | "absent" | { readonly error: string };

const probe = async (path: string, kind: "file" | "directory"): Promise<Probe> => {
  try {
    const s = await stat(path);
    return (kind === "file" ? s.isFile() : s.isDirectory()) ? "file" : "absent";
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === "ENOENT" || code === "ENOTDIR" ? "absent" : { error: (e as Error).message };
  }
};

// In each directory: the original text file, then the hub's parquet file, each either directly inside it
// or inside a <config>/ subfolder (the hub's layout, and the layout of a folder holding both configs).
const candidates = (dir: string, config: WikitextConfig, split: SplitName) =>
  [dir, join(dir, config)].flatMap((d) => [
    { format: "text" as const, path: join(d, textFileName(config, split)) },
    { format: "parquet" as const, path: join(d, parquetFileName(split)) },
  ]);

/**
 * Finds one split, in this order: `dataDir`, `envDir` (WIKITEXT_DIR), the cache, then a download from the
 * Hugging Face hub into the cache. A directory given explicitly that does not exist is an error.
 *
 * @example
 * const source = await locateWikitextSplit("wikitext-2-v1", "validation", { dataDir: "/data" })();
 * // right({ origin: "dataDir", format: "text", path: "/data/wiki.valid.tokens" })
 */
export const locateWikitextSplit =
  (
    config: WikitextConfig,
    split: SplitName,
    options: WikitextLoadOptions = {},
  ): TE.TaskEither<WikitextError, WikitextSource> =>
  async () => {
    const cacheRoot = join(options.cacheDir ?? defaultCacheDir(), "wikitext");
    const dirs: { origin: WikitextSource["origin"]; dir: string }[] = [];
    for (const [origin, dir] of [
      ["dataDir", options.dataDir],
      ["WIKITEXT_DIR", options.envDir],
    ] as const) {
      if (dir === undefined) continue;
      const found = await probe(dir, "directory");
      if (found !== "file") return E.left({ _tag: "DirectoryNotFound", dir, origin });
      dirs.push({ origin, dir });
    }
    dirs.push({ origin: "cache", dir: cacheRoot });
    const searched: string[] = [];
    for (const { origin, dir } of dirs) {
      for (const candidate of candidates(dir, config, split)) {
        searched.push(candidate.path);
        const found = await probe(candidate.path, "file");
        if (found === "file") return E.right({ origin, ...candidate });
        if (found !== "absent")
          return E.left({ _tag: "ReadFailed", path: candidate.path, reason: found.error });
      }
    }
    const incomplete = await findIncompleteCopy(
      dirs.filter((d) => d.origin !== "cache").map((d) => d.dir),
      config,
      split,
    );
    const notFound = {
      _tag: "SplitNotFound",
      config,
      split,
      searched,
      ...(incomplete && { incomplete }),
    } as const;
    const url = parquetUrl(config, split, options.hubUrl);
    if (options.download === false) return E.left({ ...notFound, download: "disabled" });
    const target = join(cacheRoot, config, parquetFileName(split));
    const fetchFn = options.fetch ?? (globalThis.fetch as unknown as FetchLike);
    const downloaded = await downloadParquet(url, target, fetchFn)();
    if (E.isRight(downloaded))
      return E.right({ origin: "download", format: "parquet", path: downloaded.right });
    const problem = downloaded.left;
    return "_tag" in problem ? E.left(problem) : E.left({ ...notFound, download: problem });
  };

// The first of the given folders (or their <config>/ subfolders) that holds another split of `config`
// but not `split`: the folder a person copied WikiText-2 into, missing one file.
const findIncompleteCopy = async (
  dirs: readonly string[],
  config: WikitextConfig,
  split: SplitName,
): Promise<{ dir: string; present: string[]; missing: string } | undefined> => {
  for (const dir of dirs.flatMap((d) => [d, join(d, config)])) {
    const present: string[] = [];
    for (const other of splitNames.filter((s) => s !== split))
      for (const file of [textFileName(config, other), parquetFileName(other)])
        if ((await probe(join(dir, file), "file")) === "file") present.push(file);
    if (present.length > 0) return { dir, present, missing: textFileName(config, split) };
  }
  return undefined;
};

/**
 * Loads one split as a dataset with a `text` column, one row per line with Hugging Face's semantics,
 * whichever form (text or parquet) was found.
 *
 * @example
 * const valid = await loadWikitextSplit("wikitext-2-raw-v1", "validation", { dataDir: "/data" })();
 * // right(Dataset { numRows: 3760, columnNames: ["text"] })
 */
export const loadWikitextSplit =
  (
    config: WikitextConfig,
    split: SplitName,
    options: WikitextLoadOptions = {},
  ): TE.TaskEither<WikitextError, Dataset<TextRow>> =>
  async () => {
    const source = await locateWikitextSplit(config, split, options)();
    if (E.isLeft(source)) return source;
    const { format, path } = source.right;
    const rows = await (format === "text" ? readTextRows(path) : readParquetRows(path))();
    return E.map((text: string[]) => fromColumns<TextRow>({ text }))(rows);
  };

/**
 * Loads several splits (default train, validation and test) as a `DatasetDict`. The first split that
 * cannot be loaded is the error; ask only for the splits you need when some are not available.
 *
 * @example
 * const dict = await loadWikitext("wikitext-2-v1", { ...wikitextOptionsFromEnv(process.env) })();
 * if (E.isLeft(dict)) throw new Error(formatWikitextError(dict.left));
 * showRandomElements(dict.right.train, 10, 42);
 */
export const loadWikitext =
  <S extends SplitName = SplitName>(
    config: WikitextConfig,
    options: WikitextLoadOptions & { readonly splits?: readonly S[] } = {},
  ): TE.TaskEither<WikitextError, DatasetDict<TextRow, S>> =>
  async () => {
    const out = {} as { [K in S]: Dataset<TextRow> };
    for (const split of options.splits ?? (splitNames as readonly S[])) {
      const loaded = await loadWikitextSplit(config, split, options)();
      if (E.isLeft(loaded)) return loaded;
      out[split] = loaded.right;
    }
    return E.right(Object.freeze(out));
  };
