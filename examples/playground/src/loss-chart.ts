/**
 * The live loss chart: training loss per step and validation loss at each evaluation, drawn by uPlot
 * (a canvas redraw per appended point stays well under a millisecond, so every step is drawn).
 */
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

/** A chart that takes points as they come. */
export interface LossChart {
  readonly addTrain: (step: number, loss: number) => void;
  readonly addEval: (step: number, loss: number) => void;
  readonly clear: () => void;
}

/**
 * @example const chart = lossChart(document.querySelector("#chart")!); chart.addTrain(1, 9.2);
 */
export const lossChart = (host: HTMLElement): LossChart => {
  // one x column (steps) shared by both series; a missing value is null (uPlot draws gaps, or spans them)
  let steps: number[] = [];
  let train: (number | null)[] = [];
  let evals: (number | null)[] = [];
  const plot = new uPlot(
    {
      width: Math.max(320, host.clientWidth),
      height: 260,
      scales: { x: { time: false } },
      axes: [{ label: "step" }, { label: "loss" }],
      series: [
        { label: "step" },
        { label: "train loss", stroke: "#2563eb", width: 1.5, spanGaps: true },
        { label: "validation loss", stroke: "#dc2626", width: 2, spanGaps: true, points: { show: true } },
      ],
    },
    [[], [], []],
    host,
  );
  const put = (step: number, value: number, which: "train" | "eval") => {
    let i = steps.indexOf(step);
    if (i < 0) {
      steps.push(step);
      train.push(null);
      evals.push(null);
      i = steps.length - 1;
    }
    (which === "train" ? train : evals)[i] = value;
    plot.setData([steps, train, evals] as uPlot.AlignedData);
  };
  new ResizeObserver(() => plot.setSize({ width: Math.max(320, host.clientWidth), height: 260 })).observe(
    host,
  );
  return {
    addTrain: (step, loss) => put(step, loss, "train"),
    addEval: (step, loss) => put(step, loss, "eval"),
    clear: () => {
      steps = [];
      train = [];
      evals = [];
      plot.setData([[], [], []]);
    },
  };
};
