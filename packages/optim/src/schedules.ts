import type { Schedule } from "./types.js";

/** Options shared by the warmup-then-decay schedules. */
export interface WarmupDecayOptions {
  /** The learning rate reached at the end of warmup. */
  readonly peak: number;
  /** Steps of linear warmup from 0 to `peak` (HF `num_warmup_steps`). */
  readonly warmupSteps: number;
  /** Total optimizer steps (HF `num_training_steps`); the rate reaches its end value here. */
  readonly totalSteps: number;
}

const checkWarmupDecay = (name: string, { peak, warmupSteps, totalSteps }: WarmupDecayOptions): void => {
  if (!Number.isFinite(peak)) throw new RangeError(`${name}: peak must be a finite number, got ${peak}`);
  if (!(warmupSteps >= 0)) throw new RangeError(`${name}: warmupSteps must be ≥ 0, got ${warmupSteps}`);
  if (!(totalSteps >= warmupSteps)) {
    throw new RangeError(`${name}: totalSteps (${totalSteps}) must be ≥ warmupSteps (${warmupSteps})`);
  }
};

// HF's warmup factor: step / max(1, warmup) while step < warmup (so step 0 has rate 0).
const warmupFactor = (step: number, warmupSteps: number): number => step / Math.max(1, warmupSteps);

/**
 * A fixed learning rate.
 * @example
 * const lr = constant(3e-4); lr(1000); // 3e-4
 */
export const constant =
  (value: number): Schedule =>
  () =>
    value;

/**
 * Hugging Face's `get_constant_schedule_with_warmup`: linear from 0 to `peak` over `warmupSteps`, then
 * `peak` for good:
 *
 *   step < warmup:  peak · step / max(1, warmup)
 *   otherwise:      peak
 * @example
 * const lr = constantWarmup({ peak: 1e-3, warmupSteps: 10 });
 * lr(5); // 5e-4
 * lr(1000); // 1e-3
 */
export const constantWarmup = ({
  peak,
  warmupSteps,
}: Pick<WarmupDecayOptions, "peak" | "warmupSteps">): Schedule => {
  checkWarmupDecay("constantWarmup", { peak, warmupSteps, totalSteps: warmupSteps });
  return (step) => (step < warmupSteps ? peak * warmupFactor(step, warmupSteps) : peak);
};

/**
 * Hugging Face's `get_linear_schedule_with_warmup` (the Trainer's default): linear from 0 to `peak`
 * over `warmupSteps`, then linear down to 0 at `totalSteps`, and 0 after:
 *
 *   step < warmup:  peak · step / max(1, warmup)
 *   otherwise:      peak · max(0, (total − step) / max(1, total − warmup))
 * @example
 * const lr = linearWarmupDecay({ peak: 1e-3, warmupSteps: 10, totalSteps: 110 });
 * lr(0); // 0
 * lr(5); // 5e-4
 * lr(60); // 5e-4
 */
export const linearWarmupDecay = (options: WarmupDecayOptions): Schedule => {
  checkWarmupDecay("linearWarmupDecay", options);
  const { peak, warmupSteps, totalSteps } = options;
  return (step) => {
    if (step < warmupSteps) return peak * warmupFactor(step, warmupSteps);
    return peak * Math.max(0, (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
  };
};

/** Options of `cosineWarmupDecay`. */
export interface CosineWarmupDecayOptions extends WarmupDecayOptions {
  /** The rate at `totalSteps` and after (HF's `min_lr`; nanoGPT uses peak / 10). Default 0. */
  readonly minLearningRate?: number;
}

/**
 * Hugging Face's `get_cosine_schedule_with_warmup` (half a cosine), with an optional floor as in
 * `get_cosine_with_min_lr_schedule_with_warmup`: linear warmup as `linearWarmupDecay`, then
 *
 *   progress = (step − warmup) / max(1, total − warmup)
 *   min + (peak − min) · ½ (1 + cos(π · progress))
 *
 * Unlike HF, progress is clamped to 1, so steps past `totalSteps` stay at the floor instead of the
 * cosine rising again.
 * @example
 * const lr = cosineWarmupDecay({ peak: 6e-4, warmupSteps: 100, totalSteps: 5000, minLearningRate: 6e-5 });
 */
export const cosineWarmupDecay = (options: CosineWarmupDecayOptions): Schedule => {
  checkWarmupDecay("cosineWarmupDecay", options);
  const { peak, warmupSteps, totalSteps, minLearningRate = 0 } = options;
  return (step) => {
    if (step < warmupSteps) return peak * warmupFactor(step, warmupSteps);
    const progress = Math.min(1, (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
    return minLearningRate + (peak - minLearningRate) * 0.5 * (1 + Math.cos(Math.PI * progress));
  };
};
