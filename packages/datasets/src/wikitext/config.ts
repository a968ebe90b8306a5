import * as E from "fp-ts/lib/Either.js";
import type { SplitName } from "../dataset/datasetDict.js";

/** The two Hugging Face WikiText-2 configs: raw text, or tokenized with rare words as `<unk>`. */
export type WikitextConfig = "wikitext-2-raw-v1" | "wikitext-2-v1";

/** Both configs. */
export const wikitextConfigs: readonly WikitextConfig[] = Object.freeze([
  "wikitext-2-raw-v1",
  "wikitext-2-v1",
]);

const fileSplit: Record<SplitName, string> = { train: "train", validation: "valid", test: "test" };

/**
 * The original file name of a split: `wiki.{train,valid,test}.raw` (raw) or `.tokens` (v1).
 *
 * @example
 * textFileName("wikitext-2-v1", "validation"); // "wiki.valid.tokens"
 */
export const textFileName = (config: WikitextConfig, split: SplitName): string =>
  `wiki.${fileSplit[split]}.${config === "wikitext-2-raw-v1" ? "raw" : "tokens"}`;

/**
 * The Hugging Face hub's parquet file name of a split.
 *
 * @example
 * parquetFileName("train"); // "train-00000-of-00001.parquet"
 */
export const parquetFileName = (split: SplitName): string => `${split}-00000-of-00001.parquet`;

/** Where the Hugging Face hub serves the parquet files (override to test against a local server). */
export const defaultHubUrl = "https://huggingface.co";

/**
 * The download address of one split's parquet file in `Salesforce/wikitext`.
 *
 * @example
 * parquetUrl("wikitext-2-raw-v1", "test");
 * // "https://huggingface.co/datasets/Salesforce/wikitext/resolve/main/wikitext-2-raw-v1/test-00000-of-00001.parquet"
 */
export const parquetUrl = (
  config: WikitextConfig,
  split: SplitName,
  hubUrl: string = defaultHubUrl,
): string =>
  `${hubUrl.replace(/\/+$/, "")}/datasets/Salesforce/wikitext/resolve/main/${config}/${parquetFileName(split)}`;

/**
 * Checks a config name given by a person (a CLI flag, say).
 *
 * @example
 * parseWikitextConfig("wikitext-2-v1"); // right("wikitext-2-v1")
 */
export const parseWikitextConfig = (name: string): E.Either<string, WikitextConfig> =>
  (wikitextConfigs as readonly string[]).includes(name)
    ? E.right(name as WikitextConfig)
    : E.left(`unknown WikiText config "${name}"; use one of ${wikitextConfigs.join(", ")}`);
