/**
 * `--report-to tensorboard`: HF's `TensorBoardCallback`. Every training log and evaluation becomes
 * scalars in an event file under the logging directory (HF's default `runs/<Mon DD_HH-MM-SS>_<host>`),
 * named as HF's `rewrite_logs` names them: `train/loss`, `train/learning_rate`, `train/grad_norm`,
 * `train/epoch`, `eval/loss`, …, at the step they were logged. `tensorboard --logdir <output-dir>/runs`
 * shows them.
 */
import { appendFile, mkdir } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import type { EvalReport, TrainerCallback } from "./callbacks.js";
import { ioError } from "./run-files.js";
import type { LogEntry } from "./state.js";
import { fileVersionRecord, type Scalar, scalarsRecord } from "./tfevents.js";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const two = (n: number) => String(n).padStart(2, "0");

/**
 * HF's default `logging_dir`: `<output-dir>/runs/<Mon DD_HH-MM-SS>_<hostname>` in local time
 * (`datetime.now().strftime("%b%d_%H-%M-%S")`).
 * @example defaultLoggingDir("out", new Date(2026, 11, 2, 6, 5, 9), "box") // "out/runs/Dec02_06-05-09_box"
 */
export const defaultLoggingDir = (outputDir: string, now: Date, host: string): string =>
  join(
    outputDir,
    "runs",
    `${MONTHS[now.getMonth()]}${two(now.getDate())}_${two(now.getHours())}-${two(now.getMinutes())}-${two(now.getSeconds())}_${host}`,
  );

/** A training log as HF's `rewrite_logs` tags it (every key under `train/`; the step is the event's). */
export const trainScalars = (entry: LogEntry): Scalar[] =>
  (
    [
      ["train/loss", entry.loss],
      ["train/grad_norm", entry.grad_norm],
      ["train/learning_rate", entry.learning_rate],
      ["train/epoch", entry.epoch],
    ] as const
  ).flatMap(([tag, value]) => (value === undefined ? [] : [{ tag, value }]));

/** An evaluation as HF's `rewrite_logs` tags it (`eval_loss` → `eval/loss`, `epoch` → `train/epoch`). */
export const evalScalars = (r: EvalReport): Scalar[] => [
  { tag: "eval/loss", value: r.evalLoss },
  { tag: "eval/perplexity", value: r.perplexity },
  { tag: "eval/word_perplexity", value: r.wordPerplexity },
  { tag: "eval/runtime", value: r.seconds },
  { tag: "train/epoch", value: r.epoch },
];

/**
 * Writes `events.out.tfevents.<seconds>.<host>.<pid>.0` in `loggingDir` (the name PyTorch's
 * `SummaryWriter` gives), created when training begins.
 */
export const tensorBoardCallback = (loggingDir: string, host = hostname()): TrainerCallback => {
  let path: string | undefined;
  const write = async (record: Uint8Array) => {
    if (!path) return;
    await appendFile(path, record).catch((e: unknown) => {
      throw ioError(`writing ${path}`, e);
    });
  };
  return {
    onTrainBegin: async () => {
      const now = Date.now() / 1000;
      await mkdir(loggingDir, { recursive: true }).catch((e: unknown) => {
        throw ioError(`creating ${loggingDir}`, e);
      });
      path = join(loggingDir, `events.out.tfevents.${Math.floor(now)}.${host}.${process.pid}.0`);
      await write(fileVersionRecord(now));
    },
    onLog: ({ state }, entry) =>
      write(scalarsRecord(Date.now() / 1000, state.global_step, trainScalars(entry))),
    onEvaluate: ({ state }, report) =>
      write(scalarsRecord(Date.now() / 1000, state.global_step, evalScalars(report))),
  };
};
