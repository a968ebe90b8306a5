import { mul } from "@scratchgrad/tensor";
import { zipLeaves } from "../tree-utils.js";
import {
  describeLearningRate,
  type EmptyState,
  type GradientTransformation,
  type LearningRate,
  type Schedule,
} from "../types.js";

/**
 * Multiplies every update by a fixed `factor`.
 * @example
 * const halve = scale(0.5);
 */
export const scale = (factor: number): GradientTransformation<EmptyState> => ({
  init: () => ({}),
  update: (updates, state) => [zipLeaves([updates], ([u]) => mul(u!, factor)), state] as const,
  hyperparameters: { name: "scale", factor },
});

/** The state of `scaleBySchedule`: how many updates have been made. */
export interface ScheduleState {
  readonly count: number;
}

/**
 * Multiplies update number `count` (0, 1, ...) by `schedule(count)`.
 * @example
 * const warm = scaleBySchedule((step) => Math.min(1, (step + 1) / 10));
 */
export const scaleBySchedule = (schedule: Schedule): GradientTransformation<ScheduleState> => ({
  init: () => ({ count: 0 }),
  update: (updates, state) => {
    const factor = schedule(state.count);
    return [zipLeaves([updates], ([u]) => mul(u!, factor)), { count: state.count + 1 }] as const;
  },
  hyperparameters: { name: "scaleBySchedule" },
});

/**
 * Multiplies updates by `-learningRate` (the sign that turns a descent direction into a step). A
 * schedule is evaluated at the update count, so the first update uses `schedule(0)` as PyTorch's
 * `LambdaLR` does.
 * @example
 * const opt = chain(scaleByAdam(), scaleByLearningRate(linearWarmupDecay({ peak: 1e-3, warmupSteps: 10, totalSteps: 100 })));
 */
export const scaleByLearningRate = (
  learningRate: LearningRate,
): GradientTransformation<EmptyState> | GradientTransformation<ScheduleState> => {
  const hyperparameters = { name: "scaleByLearningRate", learningRate: describeLearningRate(learningRate) };
  if (typeof learningRate === "number") return { ...scale(-learningRate), hyperparameters };
  return { ...scaleBySchedule((step) => -learningRate(step)), hyperparameters };
};
