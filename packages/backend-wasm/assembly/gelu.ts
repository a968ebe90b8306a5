// GELU forward/backward over the element range [start, end).
import { erf4, exp4, flush4, madd, tanh4 } from "./simd";

const SQRT_2_OVER_PI: f32 = 0.7978845608028654;
const GELU_C: f32 = 0.044715;
const INV_SQRT2: f32 = 0.7071067811865476;
const INV_SQRT_2PI: f32 = 0.3989422804014327;

// gelu_new (GPT-2): 0.5 x (1 + tanh(s (x + c x^3))), s = sqrt(2/pi), c = 0.044715.
// @ts-ignore: decorator
@inline
function geluTanh4(x: v128): v128 {
  const x2 = f32x4.mul(x, x);
  const u = f32x4.mul(f32x4.mul(f32x4.splat(SQRT_2_OVER_PI), x), madd(f32x4.splat(GELU_C), x2, f32x4.splat(1)));
  const t = tanh4(u);
  return f32x4.mul(f32x4.mul(f32x4.splat(0.5), x), f32x4.add(f32x4.splat(1), t));
}

// d/dx = 0.5 (1 + t) + 0.5 x (1 - t^2) s (1 + 3 c x^2)
// @ts-ignore: decorator
@inline
function geluTanhGrad4(x: v128): v128 {
  const x2 = f32x4.mul(x, x);
  const u = f32x4.mul(f32x4.mul(f32x4.splat(SQRT_2_OVER_PI), x), madd(f32x4.splat(GELU_C), x2, f32x4.splat(1)));
  const t = tanh4(u);
  const du = f32x4.mul(f32x4.splat(SQRT_2_OVER_PI), madd(f32x4.splat(3 * GELU_C), x2, f32x4.splat(1)));
  const half = f32x4.splat(0.5);
  const sech2 = f32x4.sub(f32x4.splat(1), f32x4.mul(t, t));
  return f32x4.add(f32x4.mul(half, f32x4.add(f32x4.splat(1), t)), f32x4.mul(f32x4.mul(half, x), f32x4.mul(sech2, du)));
}

// Exact GELU (BERT): 0.5 x (1 + erf(x / sqrt 2)).
// @ts-ignore: decorator
@inline
function geluErf4(x: v128): v128 {
  const e = erf4(f32x4.mul(x, f32x4.splat(INV_SQRT2)));
  return f32x4.mul(f32x4.mul(f32x4.splat(0.5), x), f32x4.add(f32x4.splat(1), e));
}

// d/dx = 0.5 (1 + erf(x / sqrt 2)) + x * exp(-x^2 / 2) / sqrt(2 pi)
// @ts-ignore: decorator
@inline
function geluErfGrad4(x: v128): v128 {
  const e = erf4(f32x4.mul(x, f32x4.splat(INV_SQRT2)));
  const pdf = f32x4.mul(f32x4.splat(INV_SQRT_2PI), exp4(f32x4.mul(f32x4.splat(-0.5), f32x4.mul(x, x))));
  return f32x4.add(f32x4.mul(f32x4.splat(0.5), f32x4.add(f32x4.splat(1), e)), f32x4.mul(x, pdf));
}

// @ts-ignore: decorator
@inline
function lane0(v: v128): f32 {
  return f32x4.extract_lane(v, 0);
}

/** y = gelu(x); `exact` = 1 for the erf form (BERT), 0 for the tanh form (GPT-2). `y` may alias `x`. */
export function gelu(x: usize, y: usize, exact: i32, start: i32, end: i32): void {
  let i = start;
  const end4 = start + ((end - start) & ~3);
  if (exact) {
    for (; i < end4; i += 4) v128.store(y + (<usize>i << 2), flush4(geluErf4(v128.load(x + (<usize>i << 2)))));
    for (; i < end; i++) store<f32>(y + (<usize>i << 2), lane0(flush4(geluErf4(f32x4.splat(load<f32>(x + (<usize>i << 2)))))));
  } else {
    for (; i < end4; i += 4) v128.store(y + (<usize>i << 2), flush4(geluTanh4(v128.load(x + (<usize>i << 2)))));
    for (; i < end; i++) store<f32>(y + (<usize>i << 2), lane0(flush4(geluTanh4(f32x4.splat(load<f32>(x + (<usize>i << 2)))))));
  }
}

/** dx = dy * gelu'(x). `dx` may alias `dy`. */
export function geluBackward(x: usize, dy: usize, dx: usize, exact: i32, start: i32, end: i32): void {
  let i = start;
  const end4 = start + ((end - start) & ~3);
  if (exact) {
    for (; i < end4; i += 4) {
      const o = <usize>i << 2;
      v128.store(dx + o, flush4(f32x4.mul(v128.load(dy + o), geluErfGrad4(v128.load(x + o)))));
    }
    for (; i < end; i++) {
      const o = <usize>i << 2;
      store<f32>(dx + o, lane0(flush4(f32x4.mul(f32x4.splat(load<f32>(dy + o)), geluErfGrad4(f32x4.splat(load<f32>(x + o)))))));
    }
  } else {
    for (; i < end4; i += 4) {
      const o = <usize>i << 2;
      v128.store(dx + o, flush4(f32x4.mul(v128.load(dy + o), geluTanhGrad4(v128.load(x + o)))));
    }
    for (; i < end; i++) {
      const o = <usize>i << 2;
      store<f32>(dx + o, lane0(flush4(f32x4.mul(f32x4.splat(load<f32>(dy + o)), geluTanhGrad4(f32x4.splat(load<f32>(x + o)))))));
    }
  }
}
