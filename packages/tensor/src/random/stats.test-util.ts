/** Sample mean and (population) variance, in float64. */
export const meanVariance = (xs: ArrayLike<number>): { mean: number; variance: number } => {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[i]!;
  const mean = sum / xs.length;
  let sq = 0;
  for (let i = 0; i < xs.length; i++) sq += (xs[i]! - mean) ** 2;
  return { mean, variance: sq / xs.length };
};

/** Pearson chi-square statistic of observed counts against equal expected counts. */
export const chiSquareUniform = (counts: ArrayLike<number>): number => {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  const expected = total / counts.length;
  let chi = 0;
  for (let i = 0; i < counts.length; i++) chi += (counts[i]! - expected) ** 2 / expected;
  return chi;
};
