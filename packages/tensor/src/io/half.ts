/**
 * Conversions between float32 and the 16-bit float formats, working on bit patterns so NaN payloads
 * and signed zeros survive. IEEE half (F16): 1 sign, 5 exponent, 10 mantissa bits. bfloat16 (BF16):
 * the top 16 bits of a float32. Narrowing rounds to nearest, ties to even, like PyTorch's `.half()`
 * and `.bfloat16()`.
 */

/** float32 bit patterns of all 65536 halves, built on first use (a cache that never changes results). */
let halfTable: Uint32Array | undefined;

const buildHalfTable = (): Uint32Array => {
  const table = new Uint32Array(65536);
  const asFloat = new Float32Array(table.buffer);
  for (let h = 0; h < 65536; h++) {
    const sign = (h & 0x8000) << 16;
    const exponent = (h >>> 10) & 0x1f;
    const mantissa = h & 0x3ff;
    if (exponent === 0) {
      // Zero or subnormal: mantissa * 2^-24, exact in float32.
      asFloat[h] = (h & 0x8000 ? -mantissa : mantissa) * 2 ** -24;
      if (mantissa === 0) table[h] = sign;
    } else if (exponent === 31) {
      table[h] = sign | 0x7f800000 | (mantissa << 13); // Infinity or NaN (payload kept)
    } else {
      table[h] = sign | ((exponent + 112) << 23) | (mantissa << 13); // rebias 15 -> 127
    }
  }
  return table;
};

/** A Uint32Array over the same bytes as a Float32Array, for bit-exact copies. */
const bitsOf = (x: Float32Array): Uint32Array => new Uint32Array(x.buffer, x.byteOffset, x.length);

/**
 * Decodes IEEE half bit patterns to float32 (exact).
 *
 * @example
 * float16ToFloat32(new Uint16Array([0x3c00, 0xc000])); // Float32Array [1, -2]
 */
export const float16ToFloat32 = (halves: Uint16Array): Float32Array => {
  halfTable ??= buildHalfTable();
  const out = new Float32Array(halves.length);
  const outBits = bitsOf(out);
  for (let i = 0; i < halves.length; i++) outBits[i] = halfTable[halves[i]!]!;
  return out;
};

/** Rounds one float32 bit pattern to the nearest half bit pattern (ties to even). */
const halfBits = (x: number): number => {
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  const mantissa = x & 0x7fffff;
  if (exponent === 0xff) {
    // Infinity stays infinity; NaN keeps its top payload bits and stays a NaN.
    if (mantissa === 0) return sign | 0x7c00;
    const payload = mantissa >>> 13;
    return sign | 0x7c00 | (payload === 0 ? 0x200 : payload);
  }
  const halfExponent = exponent - 112; // rebias 127 -> 15
  if (halfExponent >= 31) return sign | 0x7c00; // too large: infinity
  if (halfExponent >= 1) {
    let h = (halfExponent << 10) | (mantissa >>> 13);
    const rest = mantissa & 0x1fff;
    // A carry out of the mantissa bumps the exponent, up to infinity: the intended result.
    if (rest > 0x1000 || (rest === 0x1000 && (h & 1) === 1)) h++;
    return sign | h;
  }
  // Subnormal half: value = significand * 2^(exponent - 150) in units of 2^-24, i.e. significand >> shift.
  const shift = 126 - exponent;
  if (shift > 24) return sign; // below half the smallest subnormal: rounds to zero
  const significand = mantissa | 0x800000;
  let h = significand >>> shift;
  const rest = significand & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  if (rest > half || (rest === half && (h & 1) === 1)) h++;
  return sign | h;
};

/**
 * Encodes float32 values as IEEE half bit patterns, rounding to nearest even; values beyond ±65504
 * (after rounding) become ±Infinity.
 *
 * @example
 * float32ToFloat16(new Float32Array([1, 65520, 1e-8])); // Uint16Array [0x3c00, 0x7c00, 0x0000]
 */
export const float32ToFloat16 = (values: Float32Array): Uint16Array => {
  const bits = bitsOf(values);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < bits.length; i++) out[i] = halfBits(bits[i]!);
  return out;
};

/**
 * Decodes bfloat16 bit patterns to float32 (exact: they are its top 16 bits).
 *
 * @example
 * bfloat16ToFloat32(new Uint16Array([0x3f80])); // Float32Array [1]
 */
export const bfloat16ToFloat32 = (halves: Uint16Array): Float32Array => {
  const out = new Float32Array(halves.length);
  const outBits = bitsOf(out);
  for (let i = 0; i < halves.length; i++) outBits[i] = halves[i]! << 16;
  return out;
};

/**
 * Encodes float32 values as bfloat16 bit patterns, rounding to nearest even (NaN stays NaN).
 *
 * @example
 * bfloat16ToFloat32(float32ToBfloat16(new Float32Array([Math.PI]))); // Float32Array [3.140625]
 */
export const float32ToBfloat16 = (values: Float32Array): Uint16Array => {
  const bits = bitsOf(values);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < bits.length; i++) {
    const x = bits[i]!;
    if ((x & 0x7fffffff) > 0x7f800000) {
      const h = x >>> 16;
      out[i] = (h & 0x7f) === 0 ? h | 0x40 : h; // truncation must not turn a NaN into infinity
    } else {
      // Adding 0x7fff plus the lowest kept bit rounds half to even; finite x + 0x8000 stays < 2^32.
      out[i] = (x + 0x7fff + ((x >>> 16) & 1)) >>> 16;
    }
  }
  return out;
};
