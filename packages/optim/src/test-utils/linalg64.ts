/**
 * Float64 linear algebra for tests: row-major matrices as plain arrays, a one-sided Jacobi SVD and
 * random orthonormal columns, so Newton–Schulz and Muon can be checked against exact polar factors.
 */

/** A row-major float64 matrix. */
export interface Matrix64 {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

export const matrix64 = (rows: number, cols: number, data?: ArrayLike<number>): Matrix64 => ({
  rows,
  cols,
  data: data ? Float64Array.from(data) : new Float64Array(rows * cols),
});

export const transpose64 = (a: Matrix64): Matrix64 => {
  const out = matrix64(a.cols, a.rows);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < a.cols; j++) out.data[j * a.rows + i] = a.data[i * a.cols + j]!;
  return out;
};

export const matmul64 = (a: Matrix64, b: Matrix64): Matrix64 => {
  if (a.cols !== b.rows) throw new Error(`matmul64: [${a.rows}, ${a.cols}] · [${b.rows}, ${b.cols}]`);
  const out = matrix64(a.rows, b.cols);
  for (let i = 0; i < a.rows; i++)
    for (let k = 0; k < a.cols; k++) {
      const aik = a.data[i * a.cols + k]!;
      for (let j = 0; j < b.cols; j++) out.data[i * b.cols + j]! += aik * b.data[k * b.cols + j]!;
    }
  return out;
};

/** Elementwise α·a + β·b. */
export const axpby64 = (alpha: number, a: Matrix64, beta: number, b: Matrix64): Matrix64 =>
  matrix64(
    a.rows,
    a.cols,
    a.data.map((v, i) => alpha * v + beta * b.data[i]!),
  );

export const frobenius64 = (a: Matrix64): number => Math.sqrt(a.data.reduce((s, v) => s + v * v, 0));

/** A with its columns scaled: A·diag(d). */
export const scaleColumns64 = (a: Matrix64, d: readonly number[]): Matrix64 =>
  matrix64(
    a.rows,
    a.cols,
    a.data.map((v, i) => v * d[i % a.cols]!),
  );

/** The thin SVD A = U·diag(s)·Vᵀ: U [m, k], s [k] (descending), V [n, k], k = min(m, n). */
export interface Svd64 {
  readonly u: Matrix64;
  readonly s: number[];
  readonly v: Matrix64;
}

/**
 * One-sided Jacobi (Hestenes): rotate pairs of columns of W = A·V until all are orthogonal; then the
 * column norms are the singular values and the normalised columns are U. Accurate to a few ulps in
 * float64 for the small matrices tests use (even the tiny singular values).
 */
export const svd64 = (a: Matrix64): Svd64 => {
  if (a.rows < a.cols) {
    const t = svd64(transpose64(a));
    return { u: t.v, s: t.s, v: t.u };
  }
  const m = a.rows;
  const n = a.cols;
  const w = Float64Array.from(a.data);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++)
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < m; i++) {
          const wp = w[i * n + p]!;
          const wq = w[i * n + q]!;
          alpha += wp * wp;
          beta += wq * wq;
          gamma += wp * wq;
        }
        if (gamma === 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        // The rotation that zeroes the (p, q) entry of WᵀW.
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < m; i++) {
          const wp = w[i * n + p]!;
          const wq = w[i * n + q]!;
          w[i * n + p] = c * wp - s * wq;
          w[i * n + q] = s * wp + c * wq;
        }
        for (let i = 0; i < n; i++) {
          const vp = v[i * n + p]!;
          const vq = v[i * n + q]!;
          v[i * n + p] = c * vp - s * vq;
          v[i * n + q] = s * vp + c * vq;
        }
      }
    if (!rotated) break;
  }
  const norms = Array.from({ length: n }, (_, j) => {
    let s = 0;
    for (let i = 0; i < m; i++) s += w[i * n + j]! ** 2;
    return Math.sqrt(s);
  });
  const order = norms.map((_, j) => j).sort((x, y) => norms[y]! - norms[x]!);
  const u = matrix64(m, n);
  const vs = matrix64(n, n);
  order.forEach((j, k) => {
    for (let i = 0; i < m; i++) u.data[i * n + k] = norms[j]! > 0 ? w[i * n + j]! / norms[j]! : 0;
    for (let i = 0; i < n; i++) vs.data[i * n + k] = v[i * n + j]!;
  });
  return { u, s: order.map((j) => norms[j]!), v: vs };
};

/** U·diag(d)·Vᵀ. */
export const fromSvd64 = (u: Matrix64, d: readonly number[], v: Matrix64): Matrix64 =>
  matmul64(scaleColumns64(u, d), transpose64(v));

/** `k` orthonormal columns of length `n` (Gram–Schmidt, twice for accuracy, of the values `next` gives). */
export const orthonormalColumns64 = (next: () => number, n: number, k: number): Matrix64 => {
  const cols: Float64Array[] = [];
  while (cols.length < k) {
    let x = Float64Array.from({ length: n }, () => 2 * next() - 1);
    for (let pass = 0; pass < 2; pass++)
      for (const c of cols) {
        const d = x.reduce((s, xi, i) => s + xi * c[i]!, 0);
        x = x.map((xi, i) => xi - d * c[i]!);
      }
    const norm = Math.sqrt(x.reduce((s, xi) => s + xi * xi, 0));
    if (norm > 1e-6) cols.push(x.map((xi) => xi / norm));
  }
  const out = matrix64(n, k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) out.data[i * k + j] = cols[j]![i]!;
  return out;
};

/** The largest singular value ‖A‖₂. */
export const spectralNorm64 = (a: Matrix64): number => Math.max(0, ...svd64(a).s);

/** Keller Jordan's Newton–Schulz in float64, transcribed from `zeropower_via_newtonschulz5`. */
export const newtonSchulz64 = (
  g: Matrix64,
  steps = 5,
  [a, b, c]: readonly [number, number, number] = [3.4445, -4.775, 2.0315],
  eps = 1e-7,
): Matrix64 => {
  const tall = g.rows > g.cols;
  let x = tall ? transpose64(g) : g;
  const norm = frobenius64(x);
  x = matrix64(
    x.rows,
    x.cols,
    x.data.map((v) => v / (norm + eps)),
  );
  for (let i = 0; i < steps; i++) {
    const gram = matmul64(x, transpose64(x));
    const poly = axpby64(b, gram, c, matmul64(gram, gram));
    x = axpby64(a, x, 1, matmul64(poly, x));
  }
  return tall ? transpose64(x) : x;
};

/** The scalar map Newton–Schulz applies to each singular value of G/‖G‖_F. */
export const quinticMap = (
  sigma: number,
  steps = 5,
  [a, b, c]: readonly [number, number, number] = [3.4445, -4.775, 2.0315],
): number => {
  let x = sigma;
  for (let i = 0; i < steps; i++) x = a * x + b * x ** 3 + c * x ** 5;
  return x;
};
