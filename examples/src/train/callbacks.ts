/**
 * Hugging Face's `TrainerCallback`, functionally: the loop (trainer.ts) owns only the order of events
 * and the state; everything else — when to log, evaluate and save, the progress bar, metrics.jsonl,
 * the printed epoch lines, pruning old checkpoints, Ctrl-C and the NaN guard — is a callback. A
 * callback may answer `onStepEnd` with a `TrainerControl` (HF's `control.should_save`, …); the loop
 * merges the answers. Logging to another tracker is one more callback.
 */
import { appendFile, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { hfLogLine } from "./log-line.js";
import type { TrainerCallback } from "./loop-events.js";
import { formatDuration, type ProgressBar } from "./progress.js";
import { checkpointStep, ioError, pruneCheckpoints, runCheckpoints } from "./run-files.js";

export {
  type EvalReport,
  flowCallback,
  interruptCallback,
  type StepEnd,
  type StopReason,
  type TrainEnd,
  type TrainerCallback,
  type TrainerContext,
  type TrainerControl,
} from "./loop-events.js";

/** The tqdm-style bar on stderr; ended before anything else prints. */
export const progressCallback = (progress: ProgressBar): TrainerCallback => ({
  onStepEnd: ({ totalSteps, startStep, stepsPerEpoch }, s) => {
    if (!s.finite) return undefined;
    // as HF's progress shows it: the (possibly fractional) number of epochs the run will cover
    const epochs = Number((totalSteps / stepsPerEpoch).toFixed(2));
    progress.update({
      step: s.step,
      total: totalSteps,
      elapsed: s.trainSeconds,
      stepsThisRun: s.step - startStep,
      postfix: `epoch=${s.epoch.toFixed(2)}/${epochs}, loss=${s.loss.toFixed(3)}`,
    });
    return undefined;
  },
  onLog: () => progress.done(),
  onEvaluate: () => progress.done(),
  onSave: () => progress.done(),
  onTrainEnd: () => progress.done(),
});

/**
 * HF's log line, printed at each training log: `{'loss': 5.2134, 'grad_norm': 0.93, 'learning_rate':
 * 0.001, 'epoch': 0.12}` (a Python dict, as the Trainer prints `logs`).
 */
export const logLineCallback = (log: (line: string) => void): TrainerCallback => ({
  onLog: (_ctx, entry) => log(hfLogLine(entry)),
});

/** The line printed after each evaluation. */
export const epochLineCallback = (log: (line: string) => void): TrainerCallback => ({
  onEvaluate: (_ctx, r) =>
    log(
      `epoch ${r.epoch.toFixed(2)}: train loss ${r.epochTrainLoss.toFixed(4)}, validation loss ${r.evalLoss.toFixed(4)} (perplexity ${r.perplexity.toFixed(2)}, word-level ${r.wordPerplexity.toFixed(2)}), eval ${formatDuration(r.seconds)}`,
    ),
});

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

/** What `metrics.jsonl` records of memory after each step. */
export interface MemoryReading {
  /** The process's resident set, MiB. */
  readonly memory_mib: number;
  /** Tensor buffers alive on the backend: flat over a run unless something leaks. */
  readonly live_tensors: number;
}

/**
 * `metrics.jsonl`: one JSON line per step. A fresh run starts the file empty; a resumed run keeps the
 * lines up to the step it resumes at, so the file is the run's steps exactly once.
 */
export const metricsFileCallback = (outputDir: string, memory: () => MemoryReading): TrainerCallback => {
  const path = join(outputDir, "metrics.jsonl");
  return {
    onTrainBegin: async ({ state }) => {
      const kept = await keptMetricsLines(path, state.global_step);
      await writeFile(path, kept).catch((e: unknown) => {
        throw ioError(`writing ${path}`, e);
      });
    },
    onStepEnd: async (_ctx, s) => {
      const line = {
        step: s.step,
        epoch: round(s.epoch),
        loss: s.finite ? s.loss : String(s.loss),
        learning_rate: s.learningRate,
        grad_norm: s.gradNorm,
        step_ms: round(s.stepMs),
        tokens_per_second: s.tokensPerSecond,
        ...memory(),
      };
      await appendFile(path, `${JSON.stringify(line)}\n`).catch((e: unknown) => {
        throw ioError(`writing ${path}`, e);
      });
      return undefined;
    },
  };
};

/** The lines of `path` for steps up to `step` (none when the file is absent or the run is fresh). */
const keptMetricsLines = async (path: string, step: number): Promise<string> => {
  if (step === 0) return "";
  const text = await readFile(path, "utf8").catch(() => "");
  const stepOf = (line: string): number => {
    try {
      return (JSON.parse(line) as { step?: number }).step ?? Number.NaN;
    } catch {
      return Number.NaN;
    }
  };
  return text
    .split("\n")
    .filter((l) => l !== "" && stepOf(l) <= step)
    .map((l) => `${l}\n`)
    .join("");
};

/** `--save-total-limit`: after each save, the run's older checkpoints beyond the limit are deleted. */
export const pruneCallback = (outputDir: string, limit: number, runId: string): TrainerCallback => ({
  onSave: (_ctx, dir) => pruneCheckpoints(outputDir, limit, runId, dir),
});

/**
 * The NaN guard. A NaN or infinite loss stops the run (the loop cannot advance past it) and the
 * parameters that produced it are not saved; this callback deletes the run's checkpoints from that step
 * on (which hold them) and tells `report` the newest checkpoint left (whose parameters gave a finite
 * loss), or that there is none.
 */
export const nanGuardCallback = (
  outputDir: string,
  runId: string,
  report: (failure: { step: number; loss: number; lastGood?: string }) => void,
): TrainerCallback => ({
  onTrainEnd: async (_ctx, end) => {
    if (end.reason !== "non-finite-loss" || end.failedStep === undefined) return;
    // checkpoint-N holds the parameters after N steps; step N + 1 evaluated them
    const bad = end.failedStep - 1;
    const mine = await runCheckpoints(outputDir, runId);
    for (const dir of mine.filter((d) => checkpointStep(d) >= bad))
      await rm(dir, { recursive: true, force: true });
    const lastGood = mine.filter((d) => checkpointStep(d) < bad).at(-1);
    report({ step: end.failedStep, loss: end.loss ?? Number.NaN, ...(lastGood ? { lastGood } : {}) });
  },
});
