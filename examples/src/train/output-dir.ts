/**
 * `--output-dir` as Hugging Face's run_clm.py treats it: an empty or new directory starts a run; one
 * holding checkpoints resumes from the last (`get_last_checkpoint`); any other non-empty directory is
 * refused unless `--overwrite-output-dir`. Checked, and probed for writing, before any work.
 */
import { mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { EXIT_USAGE, UserError } from "../cli/main.js";
import { ioError, listCheckpoints, readJsonObject } from "./run-files.js";

/** How a run starts: from scratch, or from a checkpoint (named, `latest`, or found in the output dir). */
export type RunStart =
  | { readonly kind: "fresh" }
  | { readonly kind: "resume"; readonly checkpoint: string; readonly automatic: boolean };

// what a failed save can leave behind (checkpoint-N.tmp-<pid>): not the user's files
const isLeftover = (name: string): boolean => /^checkpoint-\d+\.tmp-\d+$/.test(name);

/** Entries of `dir` (none if it does not exist); a file where the directory should be is an error. */
const entriesOf = async (dir: string): Promise<string[]> => {
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined) return [];
  if (!info.isDirectory())
    throw new UserError(`--output-dir ${dir} is a file, not a directory; choose another --output-dir`);
  return readdir(dir).catch((e: unknown) => {
    throw ioError(`reading --output-dir ${dir}`, e);
  });
};

/**
 * Where the run starts, from `--resume-from-checkpoint` (a directory or `latest`) and the output
 * directory's contents. A checkpoint that is not a directory with trainer_state.json is an error.
 */
export const runStart = async (
  outputDir: string,
  resumeFrom: string,
  overwrite: boolean,
): Promise<RunStart> => {
  const checkpoints = (await entriesOf(outputDir)).length > 0 ? await listCheckpoints(outputDir) : [];
  if (resumeFrom === "latest") {
    const last = checkpoints.at(-1);
    if (!last)
      throw new UserError(`--resume-from-checkpoint latest: no checkpoint-* directory in ${outputDir}`);
    return { kind: "resume", checkpoint: last, automatic: false };
  }
  if (resumeFrom !== "") {
    const info = await stat(join(resumeFrom, "trainer_state.json")).catch(() => undefined);
    if (!info?.isFile())
      throw new UserError(
        `--resume-from-checkpoint ${resumeFrom}: not a checkpoint (no trainer_state.json there); pass a checkpoint-<step> directory of a run, or 'latest'`,
      );
    return checked({ kind: "resume", checkpoint: resumeFrom, automatic: false });
  }
  const last = checkpoints.at(-1);
  return last && !overwrite
    ? checked({ kind: "resume", checkpoint: last, automatic: true })
    : { kind: "fresh" };
};

/** A resume whose trainer_state.json reads as JSON (a damaged one is named before any work). */
const checked = async (start: RunStart & { kind: "resume" }): Promise<RunStart> => {
  await readJsonObject(join(start.checkpoint, "trainer_state.json"));
  return start;
};

/**
 * Makes `outputDir` ready for the run, before any work: refuses a non-empty directory without
 * checkpoints (unless `overwrite`), clears the old run's checkpoints and metrics on `overwrite`,
 * removes leftovers of failed saves, and checks that files can be written there.
 */
export const prepareOutputDir = async (
  outputDir: string,
  start: RunStart,
  overwrite: boolean,
): Promise<void> => {
  const entries = await entriesOf(outputDir);
  for (const name of entries.filter(isLeftover))
    await rm(join(outputDir, name), { recursive: true, force: true });
  const own = entries.filter((n) => !isLeftover(n));
  const hasCheckpoints = own.some((n) => /^checkpoint-\d+$/.test(n));
  if (own.length > 0 && !hasCheckpoints && !overwrite && start.kind === "fresh")
    throw new UserError(
      `output directory ${outputDir} already exists and is not empty; use --overwrite-output-dir to train into it from scratch, or another --output-dir`,
      EXIT_USAGE,
    );
  if (overwrite)
    for (const name of own.filter((n) => /^checkpoint-\d+$/.test(n) || n === "metrics.jsonl"))
      await rm(join(outputDir, name), { recursive: true, force: true });
  const probe = join(outputDir, `.write-test-${process.pid}`);
  try {
    await mkdir(outputDir, { recursive: true });
    await writeFile(probe, "");
    await rm(probe);
  } catch (e) {
    throw ioError(`cannot write to --output-dir ${outputDir}`, e);
  }
};
