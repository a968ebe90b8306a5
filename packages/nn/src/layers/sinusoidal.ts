/**
 * The sinusoidal position table of "Attention Is All You Need" (Vaswani et al. 2017, §3.5), used here as
 * the starting value of a learned position embedding (BERT's and GPT-2's stay ordinary parameters, so
 * checkpoints keep Hugging Face's layout). Random N(0, 0.02) rows tell positions apart but say nothing
 * about which are near each other; sinusoids do from the first step (a fixed offset is a rotation of
 * each sin/cos pair), which a masked LM needs before it can use its neighbours.
 */
import { fromTypedArray, type Tensor } from "@scratchgrad/tensor";

/**
 * float32 [numPositions, dim]: row p, columns 2i and 2i+1 are sin and cos of p / 10000^(2i/dim), scaled
 * so the table's root mean square is `rms` (exactly, for an even `dim`); the default 1/√2 is Vaswani's
 * unscaled table.
 * @example sinusoidalPositions(128, 256, 0.02) // the same scale as BERT's N(0, 0.02) initialiser
 */
export const sinusoidalPositions = (numPositions: number, dim: number, rms = 1 / Math.SQRT2): Tensor => {
  if (!Number.isInteger(numPositions) || numPositions <= 0 || !Number.isInteger(dim) || dim <= 0) {
    throw new RangeError(
      `sinusoidalPositions: numPositions and dim must be positive integers, got ${numPositions} and ${dim}`,
    );
  }
  const scale = rms * Math.SQRT2; // a sin/cos pair has mean square 1/2
  const table = new Float32Array(numPositions * dim);
  for (let p = 0; p < numPositions; p++) {
    for (let j = 0; j < dim; j += 2) {
      const angle = p / 10000 ** (j / dim);
      table[p * dim + j] = scale * Math.sin(angle);
      if (j + 1 < dim) table[p * dim + j + 1] = scale * Math.cos(angle);
    }
  }
  return fromTypedArray(table, [numPositions, dim], "float32");
};
