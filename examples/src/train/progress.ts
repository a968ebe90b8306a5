/**
 * A tqdm-style progress bar: ` 45%|████▌     | 900/2000 [05:12<06:21, 2.88it/s, epoch=1.35/3, loss=5.21]`.
 * On a terminal it redraws one line; otherwise (logs, CI) it prints a line every `everySteps`.
 */
export const formatDuration = (seconds: number): string => {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (x: number) => String(x).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
};

export interface ProgressState {
  readonly step: number;
  readonly total: number;
  /** Seconds since the bar started (excluding evaluation pauses). */
  readonly elapsed: number;
  /** Steps done since the bar started (for the rate; differs from `step` after a resume). */
  readonly stepsThisRun: number;
  readonly postfix: string;
}

export const formatProgress = (
  { step, total, elapsed, stepsThisRun, postfix }: ProgressState,
  width = 20,
): string => {
  const frac = total > 0 ? Math.min(step / total, 1) : 0;
  const cells = frac * width;
  const full = Math.floor(cells);
  const partials = " ▏▎▍▌▋▊▉";
  const bar =
    "█".repeat(full) +
    (full < width ? partials[Math.floor((cells - full) * 8)]! + " ".repeat(width - full - 1) : "");
  const rate = stepsThisRun > 0 && elapsed > 0 ? stepsThisRun / elapsed : 0;
  const eta = rate > 0 ? (total - step) / rate : Number.POSITIVE_INFINITY;
  const rateText = rate >= 1 || rate === 0 ? `${rate.toFixed(2)}it/s` : `${(1 / rate).toFixed(2)}s/it`;
  return `${String(Math.round(frac * 100)).padStart(3)}%|${bar}| ${step}/${total} [${formatDuration(elapsed)}<${formatDuration(eta)}, ${rateText}${postfix ? `, ${postfix}` : ""}]`;
};

export interface ProgressBar {
  update(state: ProgressState): void;
  /** Ends the current line (before other output, and at the end). */
  done(): void;
}

export const progressBar = (stream: NodeJS.WriteStream, everySteps: number): ProgressBar => {
  let last = "";
  let lastPrinted = 0;
  return {
    update(state) {
      last = formatProgress(state);
      if (stream.isTTY) stream.write(`\r${last}`);
      else if (state.step - lastPrinted >= everySteps || state.step === state.total) {
        stream.write(`${last}\n`);
        lastPrinted = state.step;
      }
    },
    done() {
      if (stream.isTTY && last) stream.write("\n");
      last = "";
    },
  };
};
