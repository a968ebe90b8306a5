/**
 * The Trainer's console line for a training log, `{'loss': 5.2134, 'grad_norm': 0.93, 'learning_rate':
 * 0.001, 'epoch': 0.12}`: the `logs` dict as Python prints it, numbers in Python's float repr.
 */
import type { LogEntry } from "./state.js";

/**
 * A number as Python's `repr(float)`: the shortest digits that read back, scientific below 1e-4 or
 * from 1e16 with a two-digit exponent (`4.5e-05`), and `.0` on whole numbers.
 * @example [pythonFloat(2), pythonFloat(4.5e-5), pythonFloat(0.001)] // ["2.0", "4.5e-05", "0.001"]
 */
export const pythonFloat = (x: number): string => {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa, exponentText] = x.toExponential().split("e") as [string, string];
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16)
    return `${mantissa}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  const plain = String(x);
  return plain.includes(".") ? plain : `${plain}.0`;
};

const round = (x: number, digits: number): number => Number(x.toFixed(digits));

/**
 * HF's printed log line for a training log entry: loss rounded to 4 decimals and epoch to 2, as the
 * Trainer logs them, grad_norm and learning_rate as they are.
 * @example hfLogLine({ step: 50, epoch: 0.1234, loss: 5.21337, grad_norm: 0.93, learning_rate: 1e-3 })
 * // "{'loss': 5.2134, 'grad_norm': 0.93, 'learning_rate': 0.001, 'epoch': 0.12}"
 */
export const hfLogLine = (entry: LogEntry): string => {
  const fields: [string, number | undefined][] = [
    ["loss", entry.loss === undefined ? undefined : round(entry.loss, 4)],
    ["grad_norm", entry.grad_norm],
    ["learning_rate", entry.learning_rate],
    ["epoch", round(entry.epoch, 2)],
  ];
  const shown = fields.flatMap(([k, v]) => (v === undefined ? [] : [`'${k}': ${pythonFloat(v)}`]));
  return `{${shown.join(", ")}}`;
};
