// Row softmax over contiguous rows of `cols` floats; each call handles rows [rowStart, rowEnd).
import { exp1, exp4, flush1, flush4, hmax, hsum } from "./simd";

/** y = exp(x - max) / sum(exp(x - max)), row by row. `y` may alias `x`. */
export function softmaxRows(x: usize, y: usize, cols: i32, rowStart: i32, rowEnd: i32): void {
  const c4 = cols & ~3;
  for (let r = rowStart; r < rowEnd; r++) {
    const xr = x + ((<usize>r * <usize>cols) << 2);
    const yr = y + ((<usize>r * <usize>cols) << 2);
    let vmax = f32x4.splat(-Infinity);
    let j = 0;
    for (; j < c4; j += 4) vmax = f32x4.pmax(vmax, v128.load(xr + (<usize>j << 2)));
    let m = hmax(vmax);
    for (; j < cols; j++) m = max(m, load<f32>(xr + (<usize>j << 2)));
    const vm = f32x4.splat(m);
    let vsum = f32x4.splat(0);
    for (j = 0; j < c4; j += 4) {
      const e = exp4(f32x4.sub(v128.load(xr + (<usize>j << 2)), vm));
      v128.store(yr + (<usize>j << 2), e);
      vsum = f32x4.add(vsum, e);
    }
    let s = hsum(vsum);
    for (; j < cols; j++) {
      const e = exp1(load<f32>(xr + (<usize>j << 2)) - m);
      store<f32>(yr + (<usize>j << 2), e);
      s += e;
    }
    const inv = <f32>1.0 / s;
    const vinv = f32x4.splat(inv);
    // e ≥ 2^-126 or 0 (exp4), but e / sum can still land below 2^-126: flush.
    for (j = 0; j < c4; j += 4) {
      v128.store(yr + (<usize>j << 2), flush4(f32x4.mul(v128.load(yr + (<usize>j << 2)), vinv)));
    }
    for (; j < cols; j++) store<f32>(yr + (<usize>j << 2), flush1(load<f32>(yr + (<usize>j << 2)) * inv));
  }
}

/** dx = y * (dy - sum(dy * y)) row by row, from the softmax output y. `dx` may alias `dy`. */
export function softmaxRowsBackward(y: usize, dy: usize, dx: usize, cols: i32, rowStart: i32, rowEnd: i32): void {
  const c4 = cols & ~3;
  for (let r = rowStart; r < rowEnd; r++) {
    const off = (<usize>r * <usize>cols) << 2;
    const yr = y + off;
    const dyr = dy + off;
    const dxr = dx + off;
    let vdot = f32x4.splat(0);
    let j = 0;
    for (; j < c4; j += 4) {
      const o = <usize>j << 2;
      vdot = f32x4.add(vdot, f32x4.mul(v128.load(yr + o), v128.load(dyr + o)));
    }
    let dot = hsum(vdot);
    for (; j < cols; j++) dot += load<f32>(yr + (<usize>j << 2)) * load<f32>(dyr + (<usize>j << 2));
    const vd = f32x4.splat(dot);
    for (j = 0; j < c4; j += 4) {
      const o = <usize>j << 2;
      v128.store(dxr + o, flush4(f32x4.mul(v128.load(yr + o), f32x4.sub(v128.load(dyr + o), vd))));
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      store<f32>(dxr + o, flush1(load<f32>(yr + o) * (load<f32>(dyr + o) - dot)));
    }
  }
}
