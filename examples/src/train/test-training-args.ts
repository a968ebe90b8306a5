import type { TrainingArguments } from "./training-args.js";

/**
 * A complete `TrainingArguments` for unit tests (HF's optimizer defaults, an output directory that is
 * never written), with the fields a test cares about overridden.
 * @example const args = testTrainingArgs({ learningRate: 1e-2, seed: 3 });
 */
export const testTrainingArgs = (overrides: Partial<TrainingArguments> = {}): TrainingArguments => ({
  outputDir: "/nonexistent-never-written",
  numTrainEpochs: 1,
  maxSteps: -1,
  learningRate: 1e-3,
  weightDecay: 0,
  warmupSteps: 0,
  warmupRatio: 0,
  lrSchedulerType: "linear",
  optim: "adamw",
  adamBeta1: 0.9,
  adamBeta2: 0.999,
  adamEpsilon: 1e-8,
  muonLearningRate: 0.02,
  muonMomentum: 0.95,
  perDeviceTrainBatchSize: 2,
  perDeviceEvalBatchSize: 2,
  maxGradNorm: 1,
  seed: 0,
  loggingFirstStep: false,
  gradientAccumulationSteps: 1,
  loggingSteps: 1,
  saveSteps: 0,
  saveTotalLimit: 0,
  ...overrides,
});
