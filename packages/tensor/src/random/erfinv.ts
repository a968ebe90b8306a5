/**
 * Inverse error function, with M. Giles' single-precision approximation ("Approximating the erfinv
 * function", GPU Computing Gems, 2011), the same polynomials XLA uses for float32 `erf_inv`, so normal
 * samples match `jax.random.normal` to float32 rounding. Relative error is below ~4e-7 on (-1, 1).
 */

// Horner evaluation of Giles' coefficients: a degree-8 polynomial in w - 2.5 for the central region
// w = -ln(1 - x^2) < 5, and one in sqrt(w) - 3 for the tails (|x| > ~0.9966). Written out (no
// coefficient arrays) because this runs once per normal sample.

/**
 * erfinv(x) for x in [-1, 1]: the y with erf(y) = x; ±Infinity at ±1, NaN outside.
 *
 * @example
 * erfinv(0.5); // ≈ 0.4769363
 */
export const erfinv = (x: number): number => {
  if (!(x > -1 && x < 1)) return x === 1 ? Infinity : x === -1 ? -Infinity : Number.NaN;
  const w = -Math.log1p(-x * x);
  let p: number;
  if (w < 5) {
    const t = w - 2.5;
    p = 2.81022636e-8;
    p = 3.43273939e-7 + p * t;
    p = -3.5233877e-6 + p * t;
    p = -4.39150654e-6 + p * t;
    p = 2.1858087e-4 + p * t;
    p = -1.25372503e-3 + p * t;
    p = -4.17768164e-3 + p * t;
    p = 2.46640727e-1 + p * t;
    p = 1.50140941 + p * t;
  } else {
    const t = Math.sqrt(w) - 3;
    p = -2.00214257e-4;
    p = 1.00950558e-4 + p * t;
    p = 1.34934322e-3 + p * t;
    p = -3.67342844e-3 + p * t;
    p = 5.73950773e-3 + p * t;
    p = -7.6224613e-3 + p * t;
    p = 9.43887047e-3 + p * t;
    p = 1.00167406 + p * t;
    p = 2.83297682 + p * t;
  }
  return p * x;
};
