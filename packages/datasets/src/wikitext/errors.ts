import type { SplitName } from "../dataset/datasetDict.js";
import type { WikitextConfig } from "./config.js";

/** Why loading WikiText failed; every case carries what a person needs to fix it. */
export type WikitextError =
  | {
      /** No local copy of the split, and it could not be downloaded. */
      readonly _tag: "SplitNotFound";
      readonly config: WikitextConfig;
      readonly split: SplitName;
      /** Every file path that was tried, in order. */
      readonly searched: readonly string[];
      /** Why the download did not happen or failed. */
      readonly download: { readonly url: string; readonly reason: string } | "disabled";
      /**
       * The first folder searched that holds other splits of this config but not this one (a copy of
       * WikiText-2 with, say, only wiki.train.tokens and wiki.valid.tokens): where the file should go.
       */
      readonly incomplete?: {
        readonly dir: string;
        readonly present: readonly string[];
        readonly missing: string;
      };
    }
  | {
      /** A directory given explicitly (argument or WIKITEXT_DIR) does not exist. */
      readonly _tag: "DirectoryNotFound";
      readonly dir: string;
      readonly origin: "dataDir" | "WIKITEXT_DIR";
    }
  | { readonly _tag: "ReadFailed"; readonly path: string; readonly reason: string }
  | { readonly _tag: "BadParquet"; readonly path: string; readonly reason: string }
  | { readonly _tag: "CacheWriteFailed"; readonly path: string; readonly reason: string };

/**
 * A message for a person: what happened and what to do about it.
 *
 * @example
 * formatWikitextError({ _tag: "ReadFailed", path: "/d/wiki.train.raw", reason: "EACCES" });
 * // "cannot read /d/wiki.train.raw: EACCES; check the file's permissions or delete it to fetch it again"
 */
export const formatWikitextError = (error: WikitextError): string => {
  switch (error._tag) {
    case "SplitNotFound": {
      const download =
        error.download === "disabled"
          ? "downloading is disabled"
          : `downloading ${error.download.url} failed: ${error.download.reason}`;
      const incomplete = error.incomplete
        ? `${error.incomplete.dir} holds ${error.incomplete.present.join(", ")} but not ${error.incomplete.missing}: ` +
          `copy ${error.incomplete.missing} from the ${error.config} archive (or the hub's ${error.split}-00000-of-00001.parquet) into that folder. `
        : "";
      return (
        incomplete +
        `WikiText-2 (${error.config}) split "${error.split}" not found locally (looked in: ${error.searched.join(", ")}) ` +
        `and ${download}. Fix: set WIKITEXT_DIR or pass --data-dir to a directory holding the files ` +
        "(wiki.{train,valid,test}.raw / .tokens, or <split>-00000-of-00001.parquet), or allow network access to huggingface.co"
      );
    }
    case "DirectoryNotFound":
      return error.origin === "WIKITEXT_DIR"
        ? `WIKITEXT_DIR=${error.dir} is not a directory; fix the path or unset WIKITEXT_DIR`
        : `data directory ${error.dir} (--data-dir) is not a directory; fix the path or leave it out`;
    case "ReadFailed":
      return `cannot read ${error.path}: ${error.reason}; check the file's permissions or delete it to fetch it again`;
    case "BadParquet":
      return `${error.path} is not a WikiText parquet file: ${error.reason}; delete it (it is re-downloaded) or replace it`;
    case "CacheWriteFailed":
      return `cannot write the download cache ${error.path}: ${error.reason}; pass another cacheDir or free the disk`;
  }
};
