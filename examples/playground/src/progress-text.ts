/** The progress line under the bar: tqdm's numbers (steps, it/s, ETA) and the step's loss. */
import { formatDuration } from "../../src/train/progress.js";

/**
 * @example progressText({ step: 10, total: 20, stepsThisRun: 10, trainSeconds: 5, loss: 4.2 })
 * // "10/20 steps · 2.00 it/s · ETA 00:05 · loss 4.200"
 */
export const progressText = (p: {
  readonly step: number;
  readonly total: number;
  readonly stepsThisRun: number;
  readonly trainSeconds: number;
  readonly loss: number;
}): string => {
  const rate = p.stepsThisRun / Math.max(p.trainSeconds, 1e-9);
  const eta = (p.total - p.step) / Math.max(rate, 1e-9);
  return `${p.step}/${p.total} steps · ${rate.toFixed(2)} it/s · ETA ${formatDuration(eta)} · loss ${p.loss.toFixed(3)}`;
};
