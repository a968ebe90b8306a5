import { mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { loadCheckpoint, saveCheckpoint } from "@scratchgrad/nn";
import { type GradientTransformation, loadOptimizerState, saveOptimizerState } from "@scratchgrad/optim";
import { writeFileAtomically } from "@scratchgrad/tensor/atomic-file";
import { formatTokenizerError, savePretrainedTokenizer, type Tokenizer } from "@scratchgrad/tokenizer";
import * as E from "fp-ts/lib/Either.js";
import { UserError } from "../cli/main.js";
import { modelMaxLength } from "./model-facts.js";
import type { TrainerState } from "./state.js";
import { runIdOfStateJson, trainerStateFromJson, trainerStateText } from "./trainer-state-file.js";

/** Everything a run needs to continue exactly where it stopped. */
export interface RunSnapshot<P, S> {
  readonly modelType: "gpt2" | "bert";
  readonly config: Record<string, unknown>;
  readonly params: P;
  readonly optState: S;
  readonly state: TrainerState;
  readonly tokenizer: Tokenizer;
  /** The run's arguments (training_args.json), so `--resume-from-checkpoint DIR` alone restores them. */
  readonly trainingArgs?: Readonly<Record<string, unknown>>;
  /** Parameters outside the embeddings, for trainer_state.json's `total_flos` (0 when not given). */
  readonly nonEmbeddingParameters?: number;
}

const OPTIMIZER = "optimizer";
const STATE = "trainer_state.json";
const TOKENIZER = "tokenizer.json";
const ARGS = "training_args.json";

/** A file-system error as one line: what was being done, the path, and the system's reason. */
export const ioError = (what: string, e: unknown): UserError => {
  const err = e as NodeJS.ErrnoException;
  const hint =
    err.code === "ENOSPC"
      ? "; free some disk space or choose another --output-dir"
      : err.code === "EACCES" || err.code === "EPERM" || err.code === "EROFS"
        ? "; choose a writable --output-dir"
        : "";
  const message = err.message ?? String(e);
  const code = err.code && !message.startsWith(err.code) ? `${err.code} ` : "";
  return new UserError(`${what}: ${code}${message}${hint}`);
};

const unwrap = <L extends { message: string }, R>(what: string, e: E.Either<L, R>): R => {
  if (E.isLeft(e)) throw new UserError(`${what}: ${e.left.message}`);
  return e.right;
};

/**
 * A JSON object file of a run (trainer_state.json, training_args.json); a missing or damaged file is
 * one line naming it.
 */
export const readJsonObject = async (path: string): Promise<Record<string, unknown>> => {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw ioError(`reading ${path}`, e);
  }
  try {
    const json: unknown = JSON.parse(text);
    if (json === null || typeof json !== "object" || Array.isArray(json)) throw new Error("not an object");
    return json as Record<string, unknown>;
  } catch (e) {
    throw new UserError(`${path} is not a JSON object (${(e as Error).message}); the checkpoint is damaged`);
  }
};

/**
 * Writes `dir` atomically: everything goes to `dir.tmp-<pid>` first, which is renamed to `dir` only
 * once complete, so an interrupted save never leaves a half-written checkpoint behind.
 */
export const saveSnapshot = async <P, S>(
  dir: string,
  snap: RunSnapshot<P, S>,
  optimizer: GradientTransformation<S>,
): Promise<void> => {
  const tmp = `${dir}.tmp-${process.pid}`;
  try {
    await writeSnapshot(tmp, snap, optimizer);
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
  } catch (e) {
    // a failed save (disk full, permissions) leaves nothing behind
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw e instanceof UserError ? e : ioError(`saving ${dir}`, e);
  }
};

const writeSnapshot = async <P, S>(
  tmp: string,
  snap: RunSnapshot<P, S>,
  optimizer: GradientTransformation<S>,
): Promise<void> => {
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  unwrap(
    "saving the model",
    await saveCheckpoint(tmp, {
      modelType: snap.modelType,
      config: snap.config as never,
      params: snap.params as never,
    })(),
  );
  unwrap(
    "saving the optimizer state",
    await saveOptimizerState(snap.optState, join(tmp, OPTIMIZER), optimizer)(),
  );
  // the project's one file writer: each file is synced before the folder is renamed into place
  await writeFileAtomically(join(tmp, STATE), trainerStateText(snap.state, snap.nonEmbeddingParameters ?? 0));
  // tokenizer.json, tokenizer_config.json and special_tokens_map.json, as AutoTokenizer reads them
  const tokenizerFiles = await savePretrainedTokenizer(snap.tokenizer, tmp, {
    modelMaxLength: modelMaxLength(snap.modelType, snap.config),
  })();
  if (E.isLeft(tokenizerFiles))
    throw new UserError(`saving the tokenizer: ${formatTokenizerError(tokenizerFiles.left)}`);
  if (snap.trainingArgs)
    await writeFileAtomically(join(tmp, ARGS), `${JSON.stringify(snap.trainingArgs, null, 2)}\n`);
};

/** A checkpoint written by `saveSnapshot`, read up to its optimizer state (which needs the optimizer). */
export interface LoadedSnapshot {
  readonly modelType: "gpt2" | "bert";
  readonly config: Record<string, unknown>;
  readonly params: unknown;
  readonly state: TrainerState;
  readonly tokenizer: Tokenizer;
  /** Reads the optimizer state for `optimizer` (made for these parameters). */
  readonly optState: <S>(optimizer: GradientTransformation<S>) => Promise<S>;
}

/**
 * Reads a checkpoint written by `saveSnapshot` (the tokenizer is parsed by the caller's loader); a
 * missing or damaged file is a `UserError` naming it.
 */
export const loadSnapshot = async (
  dir: string,
  loadTokenizer: (path: string) => Promise<Tokenizer>,
): Promise<LoadedSnapshot> => {
  const ckpt = unwrap(`loading ${dir}`, await loadCheckpoint(dir)());
  const state = trainerStateFromJson(await readJsonObject(join(dir, STATE)));
  if (!Number.isSafeInteger(state.global_step) || !Array.isArray(state.log_history))
    throw new UserError(`${join(dir, STATE)} has no global_step or log_history; the checkpoint is damaged`);
  const tokenizer = await loadTokenizer(join(dir, TOKENIZER));
  return {
    modelType: ckpt.modelType,
    config: ckpt.config as unknown as Record<string, unknown>,
    params: ckpt.params,
    state,
    tokenizer,
    optState: async (optimizer) =>
      unwrap(
        `loading ${join(dir, OPTIMIZER)}`,
        await loadOptimizerState(join(dir, OPTIMIZER), optimizer, ckpt.params)(),
      ),
  };
};

/** `checkpoint-<step>` folders of a run, oldest first. */
export const listCheckpoints = async (outputDir: string): Promise<string[]> => {
  const names = await readdir(outputDir).catch(() => [] as string[]);
  return names
    .filter((n) => /^checkpoint-\d+$/.test(n))
    .sort((a, b) => Number(a.slice(11)) - Number(b.slice(11)))
    .map((n) => join(outputDir, n));
};

/** The step of a `checkpoint-<step>` folder. */
export const checkpointStep = (dir: string): number =>
  Number(/checkpoint-(\d+)$/.exec(dir)?.[1] ?? Number.NaN);

/** The run a checkpoint belongs to (`run_id` of its trainer_state.json), if it says. */
export const checkpointRunId = async (dir: string): Promise<string | undefined> => {
  try {
    const json: unknown = JSON.parse(await readFile(join(dir, STATE), "utf8"));
    return json !== null && typeof json === "object"
      ? runIdOfStateJson(json as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

/** `checkpoint-<step>` folders of the run `runId` in `outputDir`, oldest first. */
export const runCheckpoints = async (outputDir: string, runId: string): Promise<string[]> => {
  const all = await listCheckpoints(outputDir);
  const ids = await Promise.all(all.map(checkpointRunId));
  return all.filter((_, i) => ids[i] === runId);
};

/**
 * HF's save_total_limit, for one run: after `saved` was written, keeps it and the newest `limit - 1`
 * earlier checkpoints of the same run; other runs' checkpoints, and later ones left by a resume from an
 * earlier checkpoint, are never touched.
 */
export const pruneCheckpoints = async (
  outputDir: string,
  limit: number,
  runId: string,
  saved: string,
): Promise<void> => {
  if (limit <= 0) return;
  const savedStep = checkpointStep(saved);
  const earlier = (await runCheckpoints(outputDir, runId)).filter((d) => checkpointStep(d) < savedStep);
  for (const dir of earlier.slice(0, Math.max(0, earlier.length - (limit - 1))))
    await rm(dir, { recursive: true, force: true });
};
