// Fused AdamW step over a flat parameter range [start, end), PyTorch semantics (torch.optim.AdamW):
//   p <- p * (1 - lr * weightDecay)                      decoupled weight decay
//   m <- beta1 m + (1 - beta1) g,  v <- beta2 v + (1 - beta2) g^2
//   p <- p - (lr / bc1) * m / (sqrt(v) / sqrt(bc2) + eps),  bc1 = 1 - beta1^t, bc2 = 1 - beta2^t
// g = gradScale * grad, so global-norm clipping costs no extra pass over the gradients.
// The scalars come precomputed in float64 by the caller: 1 - beta1, 1 - beta2 (formed here from a
// float32 beta2 they would be off by 1e-5 relative at 0.999, 1e-3 at 0.99999), stepSize = lr / bc1,
// invSqrtBc2 = 1 / sqrt(bc2), and decay, the factor on p: 1 - lr*wd writes the new parameter,
// -lr*wd writes the update (new minus old) for optimizers that return updates.
// Results go to pOut, mOut, vOut: the inputs themselves (in place), or fresh buffers that overlap no
// input (the tensor backend's functional step).
import { flush1, flush4, madd } from "./simd";

export function adamw(
  param: usize,
  grad: usize,
  m: usize,
  v: usize,
  pOut: usize,
  mOut: usize,
  vOut: usize,
  beta1: f32,
  oneMinusBeta1: f32,
  beta2: f32,
  oneMinusBeta2: f32,
  eps: f32,
  decay: f32,
  stepSize: f32,
  invSqrtBc2: f32,
  gradScale: f32,
  start: i32,
  end: i32,
): void {
  const vDecay = f32x4.splat(decay);
  const b1 = f32x4.splat(beta1);
  const b2 = f32x4.splat(beta2);
  const ob1 = f32x4.splat(oneMinusBeta1);
  const ob2 = f32x4.splat(oneMinusBeta2);
  const vStep = f32x4.splat(stepSize);
  const vInv = f32x4.splat(invSqrtBc2);
  const veps = f32x4.splat(eps);
  const gs = f32x4.splat(gradScale);
  let i = start;
  const end4 = start + ((end - start) & ~3);
  for (; i < end4; i += 4) {
    const o = <usize>i << 2;
    const g = f32x4.mul(v128.load(grad + o), gs);
    // Moments decay geometrically toward 0 where gradients vanish, and g² of a small g underflows:
    // flush both (and the parameter) so no subnormal reaches the next step's GEMMs.
    const mi = flush4(madd(b1, v128.load(m + o), f32x4.mul(ob1, g)));
    const vi = flush4(madd(b2, v128.load(v + o), f32x4.mul(ob2, f32x4.mul(g, g))));
    const p = f32x4.mul(v128.load(param + o), vDecay);
    v128.store(mOut + o, mi);
    v128.store(vOut + o, vi);
    const denom = madd(f32x4.sqrt(vi), vInv, veps);
    v128.store(pOut + o, flush4(f32x4.sub(p, f32x4.div(f32x4.mul(vStep, mi), denom))));
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    const g = load<f32>(grad + o) * gradScale;
    const mi = flush1(beta1 * load<f32>(m + o) + oneMinusBeta1 * g);
    const vi = flush1(beta2 * load<f32>(v + o) + oneMinusBeta2 * g * g);
    const p = load<f32>(param + o) * decay;
    store<f32>(mOut + o, mi);
    store<f32>(vOut + o, vi);
    store<f32>(pOut + o, flush1(p - (stepSize * mi) / (Mathf.sqrt(vi) * invSqrtBc2 + eps)));
  }
}
