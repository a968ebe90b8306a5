/**
 * `--model-name-or-path` / `--tokenizer-name`: a local directory as it is, or a hub repo downloaded
 * with `@huggingface/hub`'s `snapshotDownload` into the cache layout Python's `huggingface_hub` uses
 * (`<cache>/models--org--name/{blobs,refs,snapshots/<commit>}`), so Python and we share one cache. With
 * `HF_HUB_OFFLINE` set, only the cache is read, as in Python.
 */
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { snapshotDownload } from "@huggingface/hub";
import * as E from "fp-ts/lib/Either.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import type { HubEnvironment } from "./environment.js";
import { type HubError, requestFailed } from "./errors.js";

/** A repo id as the hub accepts it: `name` or `org/name`, letters, digits, `-`, `_`, `.`. */
const REPO_ID = /^(?:[A-Za-z0-9][\w.-]*\/)?[A-Za-z0-9][\w.-]*$/;
const COMMIT = /^[0-9a-f]{40}$/;

/** The cache folder of a model repo (`models--org--name`), as huggingface_hub names it. */
export const repoFolderName = (repoId: string): string => `models--${repoId.split("/").join("--")}`;

const isDirectory = (path: string) =>
  stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );

/**
 * The snapshot folder of `repoId` at `revision` in the cache, without the network: `revision` is a
 * commit, or a branch/tag whose commit `refs/<revision>` records.
 */
export const cachedSnapshot = async (
  repoId: string,
  revision: string,
  cacheDir: string,
): Promise<string | undefined> => {
  const storage = join(cacheDir, repoFolderName(repoId));
  let commit = revision;
  if (!COMMIT.test(revision)) {
    try {
      commit = (await readFile(join(storage, "refs", revision), "utf8")).trim();
    } catch {
      return undefined;
    }
  }
  const snapshot = join(storage, "snapshots", commit);
  return (await isDirectory(snapshot)) ? snapshot : undefined;
};

/** Options of `resolvePretrained`. */
export interface ResolveOptions {
  /** Branch, tag or commit (default "main"). */
  readonly revision?: string;
  /** For private repos (default: HF_TOKEN). */
  readonly token?: string;
}

/**
 * A directory holding the model or tokenizer `nameOrPath` names: the path itself when it is a local
 * directory, else the snapshot of the hub repo, downloaded into the cache if not there (offline: the
 * cached snapshot, or a `NotInCache` error).
 * @example
 * const dir = await resolvePretrained("gpt2", hubEnvironment(process.env))();
 * // Right("/home/me/.cache/huggingface/hub/models--gpt2/snapshots/607a30d…")
 */
export const resolvePretrained =
  (
    nameOrPath: string,
    environment: HubEnvironment,
    options: ResolveOptions = {},
  ): TE.TaskEither<HubError, string> =>
  async () => {
    if (await isDirectory(nameOrPath)) return E.right(nameOrPath);
    if (!REPO_ID.test(nameOrPath) || nameOrPath.includes(".."))
      return E.left({
        _tag: "InvalidRepoId",
        message: `${nameOrPath} is not a directory, nor a hub repo id ("name" or "org/name")`,
      });
    const revision = options.revision ?? "main";
    if (environment.offline) {
      const cached = await cachedSnapshot(nameOrPath, revision, environment.cacheDir);
      return cached
        ? E.right(cached)
        : E.left({
            _tag: "NotInCache",
            repoId: nameOrPath,
            message: `HF_HUB_OFFLINE is set and ${nameOrPath}@${revision} is not in the cache ${environment.cacheDir}; download it once online, or unset HF_HUB_OFFLINE`,
          });
    }
    try {
      const token = options.token ?? environment.token;
      const snapshot = await snapshotDownload({
        repo: { type: "model", name: nameOrPath },
        revision,
        cacheDir: environment.cacheDir,
        hubUrl: environment.endpoint,
        ...(token ? { accessToken: token } : {}),
      });
      return E.right(snapshot);
    } catch (e) {
      return E.left(requestFailed(`downloading ${nameOrPath}@${revision} from ${environment.endpoint}`, e));
    }
  };
