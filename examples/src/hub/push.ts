/**
 * `push_to_hub` for an output directory, through `@huggingface/hub` (the official JavaScript client):
 * create the model repo if it does not exist, then upload the directory's files in one commit —
 * small files inline, weights through the LFS (or Xet) protocol the hub asks for.
 */
import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { createRepo, repoExists, uploadFiles } from "@huggingface/hub";
import * as E from "fp-ts/lib/Either.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import type { HubEnvironment } from "./environment.js";
import { type HubError, requestFailed } from "./errors.js";

/** What to push where. */
export interface PushOptions {
  /** `org/name`: a user or organization, then the repo's name (HF's `hub_model_id` fully qualified). */
  readonly repoId: string;
  /** The commit's title (HF's Trainer: "End of training", "Training in progress, step N"). */
  readonly commitMessage?: string;
  /** Create a private repo when it does not exist yet. */
  readonly private?: boolean;
  /**
   * Paths (relative, `/`-separated) to leave out. Default: what HF's Trainer leaves out —
   * `checkpoint-*` folders, `_*` and dot files, temporary files.
   */
  readonly ignore?: (path: string) => boolean;
}

/** The commit a push made. */
export interface PushResult {
  readonly commitOid: string;
  readonly commitUrl: string;
  /** The files uploaded, relative to the directory, sorted. */
  readonly files: readonly string[];
  /** Whether the repo was created by this push. */
  readonly created: boolean;
}

/** HF Trainer's `ignore_patterns` for a push (`_*`, `checkpoint-*` folders), plus dot and temporary files. */
export const defaultIgnore = (path: string): boolean =>
  path.split("/").some((part) => part.startsWith("_") || part.startsWith(".")) ||
  /^checkpoint-\d+(\/|$)/.test(path) ||
  /\.(tmp|incomplete)$/.test(path) ||
  /\.tmp-\d+(\/|$)/.test(path);

const listFiles = async (dir: string): Promise<string[]> => {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join("/"))
    .sort();
};

/**
 * Pushes the files of `dir` to the model repo `repoId` on `environment.endpoint` (HF_ENDPOINT) in one
 * commit, creating the repo first if needed; the token is `token` or HF_TOKEN.
 * @example
 * const pushed = await pushToHub("output/gpt2-wikitext2", { repoId: "me/gpt2-wikitext2" }, hubEnvironment(process.env))();
 * if (E.isRight(pushed)) console.log(pushed.right.commitUrl);
 */
export const pushToHub =
  (
    dir: string,
    options: PushOptions,
    environment: HubEnvironment,
    token: string | undefined = environment.token,
  ): TE.TaskEither<HubError, PushResult> =>
  async () => {
    if (!token)
      return E.left({
        _tag: "MissingToken",
        message: `pushing to ${options.repoId} needs a token with write access: pass --hub-token or set HF_TOKEN`,
      });
    if (!/^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*$/.test(options.repoId) || options.repoId.includes(".."))
      return E.left({
        _tag: "InvalidRepoId",
        message: `--hub-model-id ${options.repoId}: give it as org/name (your user name or an organization, then the repo)`,
      });
    let files: string[];
    try {
      files = (await listFiles(dir)).filter((f) => !(options.ignore ?? defaultIgnore)(f));
    } catch (e) {
      return E.left({ _tag: "IoError", path: dir, message: `cannot list ${dir}: ${(e as Error).message}` });
    }
    if (files.length === 0)
      return E.left({ _tag: "IoError", path: dir, message: `${dir} has no files to push` });
    const repo = { type: "model" as const, name: options.repoId };
    const common = { repo, accessToken: token, hubUrl: environment.endpoint };
    let created = false;
    try {
      if (!(await repoExists(common))) {
        await createRepo({ ...common, visibility: options.private ? "private" : "public" });
        created = true;
      }
    } catch (e) {
      return E.left(requestFailed(`creating ${options.repoId} on ${environment.endpoint}`, e));
    }
    try {
      const contents = await Promise.all(files.map((f) => readFile(join(dir, f))));
      const output = await uploadFiles({
        ...common,
        files: files.map((path, i) => ({ path, content: new Blob([contents[i]!]) })),
        commitTitle: options.commitMessage ?? "Upload model",
      });
      if (!output)
        return E.left(requestFailed(`pushing to ${options.repoId}`, new Error("the hub made no commit")));
      return E.right({ commitOid: output.commit.oid, commitUrl: output.commit.url, files, created });
    } catch (e) {
      return E.left(requestFailed(`uploading ${files.length} files of ${dir} to ${options.repoId}`, e));
    }
  };
