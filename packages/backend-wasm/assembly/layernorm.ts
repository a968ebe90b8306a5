// LayerNorm over the last axis of contiguous rows of `cols` floats.
import { flush1, flush4, hsum } from "./simd";

/**
 * y = (x - mean) * rstd * gamma + beta with rstd = 1/sqrt(var + eps) (biased variance, as PyTorch);
 * saves mean and rstd per row for the backward pass.
 */
export function layerNorm(
  x: usize,
  gamma: usize,
  beta: usize,
  y: usize,
  mean: usize,
  rstd: usize,
  cols: i32,
  eps: f32,
  rowStart: i32,
  rowEnd: i32,
): void {
  const c4 = cols & ~3;
  const invC: f32 = <f32>1.0 / <f32>cols;
  for (let r = rowStart; r < rowEnd; r++) {
    const xr = x + ((<usize>r * <usize>cols) << 2);
    const yr = y + ((<usize>r * <usize>cols) << 2);
    let vs = f32x4.splat(0);
    let j = 0;
    for (; j < c4; j += 4) vs = f32x4.add(vs, v128.load(xr + (<usize>j << 2)));
    let s = hsum(vs);
    for (; j < cols; j++) s += load<f32>(xr + (<usize>j << 2));
    const mu = s * invC;
    const vmu = f32x4.splat(mu);
    // Two-pass variance: sum((x - mean)^2) avoids the cancellation of E[x^2] - mean^2.
    let vq = f32x4.splat(0);
    for (j = 0; j < c4; j += 4) {
      const d = f32x4.sub(v128.load(xr + (<usize>j << 2)), vmu);
      vq = f32x4.add(vq, f32x4.mul(d, d));
    }
    let q = hsum(vq);
    for (; j < cols; j++) {
      const d = load<f32>(xr + (<usize>j << 2)) - mu;
      q += d * d;
    }
    const rs: f32 = <f32>1.0 / Mathf.sqrt(q * invC + eps);
    store<f32>(mean + (<usize>r << 2), mu);
    store<f32>(rstd + (<usize>r << 2), rs);
    const vrs = f32x4.splat(rs);
    for (j = 0; j < c4; j += 4) {
      const o = <usize>j << 2;
      const xh = f32x4.mul(f32x4.sub(v128.load(xr + o), vmu), vrs);
      v128.store(yr + o, flush4(f32x4.add(f32x4.mul(xh, v128.load(gamma + o)), v128.load(beta + o))));
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      store<f32>(yr + o, flush1((load<f32>(xr + o) - mu) * rs * load<f32>(gamma + o) + load<f32>(beta + o)));
    }
  }
}

/**
 * With xhat = (x - mean) * rstd and g = dy * gamma:
 *   dx = rstd * (g - mean(g) - xhat * mean(g * xhat))
 *   dgamma += sum over rows of dy * xhat,   dbeta += sum over rows of dy
 * dgamma/dbeta are accumulated into the given buffers (the caller zeroes them or passes
 * per-thread partial buffers and reduces them afterwards).
 */
export function layerNormBackward(
  x: usize,
  dy: usize,
  gamma: usize,
  mean: usize,
  rstd: usize,
  dx: usize,
  dgamma: usize,
  dbeta: usize,
  cols: i32,
  rowStart: i32,
  rowEnd: i32,
): void {
  const c4 = cols & ~3;
  const invC: f32 = <f32>1.0 / <f32>cols;
  for (let r = rowStart; r < rowEnd; r++) {
    const off = (<usize>r * <usize>cols) << 2;
    const xr = x + off;
    const dyr = dy + off;
    const dxr = dx + off;
    const mu = load<f32>(mean + (<usize>r << 2));
    const rs = load<f32>(rstd + (<usize>r << 2));
    const vmu = f32x4.splat(mu);
    const vrs = f32x4.splat(rs);
    let vg = f32x4.splat(0);
    let vgx = f32x4.splat(0);
    let j = 0;
    for (; j < c4; j += 4) {
      const o = <usize>j << 2;
      const xh = f32x4.mul(f32x4.sub(v128.load(xr + o), vmu), vrs);
      const d = v128.load(dyr + o);
      const g = f32x4.mul(d, v128.load(gamma + o));
      vg = f32x4.add(vg, g);
      vgx = f32x4.add(vgx, f32x4.mul(g, xh));
      v128.store(dgamma + o, flush4(f32x4.add(v128.load(dgamma + o), f32x4.mul(d, xh))));
      v128.store(dbeta + o, flush4(f32x4.add(v128.load(dbeta + o), d)));
    }
    let sg = hsum(vg);
    let sgx = hsum(vgx);
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      const xh = (load<f32>(xr + o) - mu) * rs;
      const d = load<f32>(dyr + o);
      const g = d * load<f32>(gamma + o);
      sg += g;
      sgx += g * xh;
      store<f32>(dgamma + o, flush1(load<f32>(dgamma + o) + d * xh));
      store<f32>(dbeta + o, flush1(load<f32>(dbeta + o) + d));
    }
    const mg = sg * invC;
    const mgx = sgx * invC;
    const vmg = f32x4.splat(mg);
    const vmgx = f32x4.splat(mgx);
    for (j = 0; j < c4; j += 4) {
      const o = <usize>j << 2;
      const xh = f32x4.mul(f32x4.sub(v128.load(xr + o), vmu), vrs);
      const g = f32x4.mul(v128.load(dyr + o), v128.load(gamma + o));
      v128.store(dxr + o, flush4(f32x4.mul(vrs, f32x4.sub(f32x4.sub(g, vmg), f32x4.mul(xh, vmgx)))));
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      const xh = (load<f32>(xr + o) - mu) * rs;
      const g = load<f32>(dyr + o) * load<f32>(gamma + o);
      store<f32>(dxr + o, flush1(rs * (g - mg - xh * mgx)));
    }
  }
}
