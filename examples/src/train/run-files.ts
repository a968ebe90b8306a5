import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { loadCheckpoint, saveCheckpoint } from "@scratchgrad/nn";
import { type GradientTransformation, loadOptimizerState, saveOptimizerState } from "@scratchgrad/optim";
import type { Tokenizer } from "@scratchgrad/tokenizer";
import * as E from "fp-ts/lib/Either.js";
import type { TrainerState } from "./state.js";

/** Everything a run needs to continue exactly where it stopped. */
export interface RunSnapshot<P, S> {
  readonly modelType: "gpt2" | "bert";
  readonly config: Record<string, unknown>;
  readonly params: P;
  readonly optState: S;
  readonly state: TrainerState;
  readonly tokenizer: Tokenizer;
}

const OPTIMIZER = "optimizer";
const STATE = "trainer_state.json";
const TOKENIZER = "tokenizer.json";

const unwrap = <L extends { message: string }, R>(what: string, e: E.Either<L, R>): R => {
  if (E.isLeft(e)) throw new Error(`${what}: ${e.left.message}`);
  return e.right;
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
  await writeFile(join(tmp, STATE), `${JSON.stringify(snap.state, null, 2)}\n`);
  await writeFile(join(tmp, TOKENIZER), snap.tokenizer.toJson());
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
};

/** Reads a checkpoint written by `saveSnapshot` (the tokenizer is parsed by the caller's loader). */
export const loadSnapshot = async <S>(
  dir: string,
  optimizer: GradientTransformation<S>,
  loadTokenizer: (path: string) => Promise<Tokenizer>,
): Promise<RunSnapshot<unknown, S>> => {
  const ckpt = unwrap(`loading ${dir}`, await loadCheckpoint(dir)());
  const optState = unwrap(
    `loading ${join(dir, OPTIMIZER)}`,
    await loadOptimizerState(join(dir, OPTIMIZER), optimizer, ckpt.params)(),
  );
  const state = JSON.parse(await readFile(join(dir, STATE), "utf8")) as TrainerState;
  const tokenizer = await loadTokenizer(join(dir, TOKENIZER));
  return {
    modelType: ckpt.modelType,
    config: ckpt.config as unknown as Record<string, unknown>,
    params: ckpt.params,
    optState,
    state,
    tokenizer,
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

/** Keeps the newest `limit` checkpoints (HF's save_total_limit). */
export const pruneCheckpoints = async (outputDir: string, limit: number): Promise<void> => {
  if (limit <= 0) return;
  const all = await listCheckpoints(outputDir);
  for (const dir of all.slice(0, Math.max(0, all.length - limit)))
    await rm(dir, { recursive: true, force: true });
};
