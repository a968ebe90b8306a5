// Fused AdamW step over a flat parameter range [start, end), PyTorch semantics (torch.optim.AdamW):
//   p <- p * (1 - lr * weightDecay)                      decoupled weight decay
//   m <- beta1 m + (1 - beta1) g,  v <- beta2 v + (1 - beta2) g^2
//   p <- p - (lr / bc1) * m / (sqrt(v) / sqrt(bc2) + eps),  bc1 = 1 - beta1^t, bc2 = 1 - beta2^t
// g = gradScale * grad, so global-norm clipping costs no extra pass over the gradients.
import { madd } from "./simd";

export function adamw(
  param: usize,
  grad: usize,
  m: usize,
  v: usize,
  lr: f32,
  beta1: f32,
  beta2: f32,
  eps: f32,
  weightDecay: f32,
  bc1: f32,
  bc2: f32,
  gradScale: f32,
  start: i32,
  end: i32,
): void {
  const decay = f32x4.splat(<f32>1 - lr * weightDecay);
  const b1 = f32x4.splat(beta1);
  const b2 = f32x4.splat(beta2);
  const ob1 = f32x4.splat(<f32>1 - beta1);
  const ob2 = f32x4.splat(<f32>1 - beta2);
  const stepSize = f32x4.splat(lr / bc1);
  const invSqrtBc2 = f32x4.splat(<f32>1 / Mathf.sqrt(bc2));
  const veps = f32x4.splat(eps);
  const gs = f32x4.splat(gradScale);
  let i = start;
  const end4 = start + ((end - start) & ~3);
  for (; i < end4; i += 4) {
    const o = <usize>i << 2;
    const g = f32x4.mul(v128.load(grad + o), gs);
    const mi = madd(b1, v128.load(m + o), f32x4.mul(ob1, g));
    const vi = madd(b2, v128.load(v + o), f32x4.mul(ob2, f32x4.mul(g, g)));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    const denom = madd(f32x4.sqrt(vi), invSqrtBc2, veps);
    const p = f32x4.mul(v128.load(param + o), decay);
    v128.store(param + o, f32x4.sub(p, f32x4.div(f32x4.mul(stepSize, mi), denom)));
  }
  const sDecay = <f32>1 - lr * weightDecay;
  const sStep = lr / bc1;
  const sInv = <f32>1 / Mathf.sqrt(bc2);
  for (; i < end; i++) {
    const o = <usize>i << 2;
    const g = load<f32>(grad + o) * gradScale;
    const mi = beta1 * load<f32>(m + o) + (<f32>1 - beta1) * g;
    const vi = beta2 * load<f32>(v + o) + (<f32>1 - beta2) * g * g;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    store<f32>(param + o, load<f32>(param + o) * sDecay - (sStep * mi) / (Mathf.sqrt(vi) * sInv + eps));
  }
}
