import { isRecording } from "../autodiff/tape.js";
import type { AdamWUpdateParams } from "../backends/backend.js";
import { DTypeError, ShapeError, showShape } from "../core/errors.js";
import { kernelInput, tensorOnBuffer } from "../core/kernel-buffers.js";
import { scope } from "../core/memory.js";
import { addProfileSample, isProfiling } from "../core/profile.js";
import type { Tensor } from "../core/tensor.js";
import { add, div, mul, sqrt, square } from "../ops/elementwise.js";

/** The outputs of one AdamW step on one parameter tensor: all new tensors, shaped like the parameter. */
export interface AdamWLeafUpdate {
  /** What to add to the parameter (it already carries the minus sign). */
  readonly update: Tensor;
  /** The next first moment m. */
  readonly mu: Tensor;
  /** The next second moment v. */
  readonly nu: Tensor;
}

const check = (param: Tensor, grad: Tensor, mu: Tensor, nu: Tensor, p: AdamWUpdateParams): void => {
  for (const [name, x] of [
    ["param", param],
    ["grad", grad],
    ["mu", mu],
    ["nu", nu],
  ] as const) {
    x.assertAlive("adamwUpdate");
    if (x.dtype !== "float32") throw new DTypeError("adamwUpdate", `${name} must be float32, got ${x.dtype}`);
    if (x.shape.length !== param.shape.length || x.shape.some((d, i) => d !== param.shape[i])) {
      throw new ShapeError(
        "adamwUpdate",
        `${name} has shape ${showShape(x.shape)}, expected the parameter's ${showShape(param.shape)}`,
      );
    }
  }
  if (!Number.isInteger(p.step) || p.step < 1) {
    throw new RangeError(`adamwUpdate: step must be an integer >= 1 (1 for the first update), got ${p.step}`);
  }
};

/**
 * One AdamW step composed of primitives: the numbers a backend's fused kernel is tested against, and
 * what runs on backends without one. The operations are those of optim's
 * `chain(scaleByAdam, addDecayedWeights, scaleByLearningRate)`, in the same order, so both give the same
 * floats. Bias corrections are computed in float64 on the host.
 * @example
 * const { update, mu, nu } = adamwUpdateReference(p, g, m, v, {
 *   lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, step: 1, gradScale: 1,
 * });
 */
export const adamwUpdateReference = (
  param: Tensor,
  grad: Tensor,
  mu: Tensor,
  nu: Tensor,
  p: AdamWUpdateParams,
): AdamWLeafUpdate => {
  check(param, grad, mu, nu, p);
  const biasCorrection1 = 1 - p.beta1 ** p.step;
  const biasCorrection2Sqrt = Math.sqrt(1 - p.beta2 ** p.step);
  return scope(() => {
    const g = p.gradScale === 1 ? grad : mul(grad, p.gradScale);
    const m = add(mul(mu, p.beta1), mul(g, 1 - p.beta1));
    const v = add(mul(nu, p.beta2), mul(square(g), 1 - p.beta2));
    // PyTorch: denom = √v / √(1 − β2ᵗ) + eps; step = (lr / (1 − β1ᵗ)) · m / denom.
    const adam = div(div(m, biasCorrection1), add(div(sqrt(v), biasCorrection2Sqrt), p.eps));
    const decayed = p.weightDecay === 0 ? adam : add(adam, mul(param, p.weightDecay));
    return { update: mul(decayed, -p.lr), mu: m, nu: v };
  });
};

/**
 * One AdamW step (`torch.optim.AdamW`'s numbers, see `AdamWUpdateParams`) on one parameter tensor:
 * the backend's fused kernel when it has one (a single pass over memory instead of ~12), else
 * `adamwUpdateReference`. Inputs are left untouched; the results are new tensors. Not differentiable:
 * while a `vjp` records, the reference runs, so gradients through an optimizer step still work.
 * @example
 * const { update, mu, nu } = adamwUpdate(p, g, m, v, {
 *   lr: 3e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1, step: t, gradScale: 1,
 * });
 * const next = add(p, update);
 */
export const adamwUpdate = (
  param: Tensor,
  grad: Tensor,
  mu: Tensor,
  nu: Tensor,
  p: AdamWUpdateParams,
): AdamWLeafUpdate => {
  const backend = param.backend;
  const kernel = backend.fusedUpdates?.adamw;
  const inputs = [param, grad, mu, nu];
  if (!kernel || isRecording() || inputs.some((x) => x.backend !== backend)) {
    return adamwUpdateReference(param, grad, mu, nu, p);
  }
  check(param, grad, mu, nu, p);
  const kin = inputs.map(kernelInput);
  if (!kernel.supports(kin, p)) return adamwUpdateReference(param, grad, mu, nu, p);
  const start = isProfiling() ? performance.now() : 0;
  const out = kernel.run(kin, p);
  if (start) addProfileSample("adamwUpdate (fused)", performance.now() - start);
  const wrap = (buffer: unknown) => tensorOnBuffer(backend, buffer, param.shape, "float32");
  return { update: wrap(out.update), mu: wrap(out.mu), nu: wrap(out.nu) };
};
