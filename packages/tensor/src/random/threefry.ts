/**
 * Threefry-2x32 with 20 rounds (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011):
 * a keyed bijection on pairs of uint32 counters. Counter-based generation means the i-th random word is
 * a pure function of (key, i): no state to carry, any element can be computed on its own, and every
 * platform gets the same stream because only 32-bit integer add, xor and rotate are involved.
 *
 * Arithmetic runs on int32 values (`| 0` wraps additions modulo 2^32); storing into a `Uint32Array`
 * reinterprets them as unsigned.
 */

/** Threefry's key-schedule parity constant: the third key word is `C240 ^ k0 ^ k1`. */
const C240 = 0x1bd11bda;

/**
 * Hashes the counter pair (x0, x1) under the key (k0, k1) and stores the two output words at
 * `out[at]` and `out[at + 1]`. Written out round by round: the rotation constants are
 * R = [13, 15, 26, 6, 17, 29, 16, 24], used four at a time, with a key injection after every four rounds.
 */
export const threefry2x32Into = (
  k0: number,
  k1: number,
  x0: number,
  x1: number,
  out: Uint32Array,
  at: number,
): void => {
  const k2 = C240 ^ k0 ^ k1;
  x0 = (x0 + k0) | 0;
  x1 = (x1 + k1) | 0;
  // Rounds 1-4, rotations 13 15 26 6, then inject (k1, k2 + 1).
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
  x0 = (x0 + k1) | 0;
  x1 = (x1 + k2 + 1) | 0;
  // Rounds 5-8, rotations 17 29 16 24, then inject (k2, k0 + 2).
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 17) | (x1 >>> 15)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 29) | (x1 >>> 3)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 16) | (x1 >>> 16)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 24) | (x1 >>> 8)) ^ x0;
  x0 = (x0 + k2) | 0;
  x1 = (x1 + k0 + 2) | 0;
  // Rounds 9-12, then inject (k0, k1 + 3).
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
  x0 = (x0 + k0) | 0;
  x1 = (x1 + k1 + 3) | 0;
  // Rounds 13-16, then inject (k1, k2 + 4).
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 17) | (x1 >>> 15)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 29) | (x1 >>> 3)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 16) | (x1 >>> 16)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 24) | (x1 >>> 8)) ^ x0;
  x0 = (x0 + k1) | 0;
  x1 = (x1 + k2 + 4) | 0;
  // Rounds 17-20, then inject (k2, k0 + 5).
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
  x0 = (x0 + k2) | 0;
  x1 = (x1 + k0 + 5) | 0;
  out[at] = x0;
  out[at + 1] = x1;
};

/**
 * Threefry-2x32 (20 rounds) of one counter pair under one key, as unsigned 32-bit words.
 *
 * @example
 * threefry2x32([0x13198a2e, 0x03707344], [0x243f6a88, 0x85a308d3]); // [0xc4923a9c, 0x483df7a0]
 */
export const threefry2x32 = (
  keyWords: readonly [number, number],
  counter: readonly [number, number],
): [number, number] => {
  const out = new Uint32Array(2);
  threefry2x32Into(keyWords[0], keyWords[1], counter[0], counter[1], out, 0);
  return [out[0]!, out[1]!];
};

/**
 * The 32-bit word at linear index `index` of the stream of `key`, JAX-style (partitionable Threefry):
 * the index is the counter `(hi, lo)` = `(floor(index / 2^32), index mod 2^32)` and the word is the xor
 * of the two output halves. Fills `out[i] = word(start + i)` for every i.
 */
export const fillStreamWords = (k0: number, k1: number, start: number, out: Uint32Array): void => {
  const pair = new Uint32Array(2);
  const n = out.length;
  for (let i = 0; i < n; i++) {
    const index = start + i;
    const hi = index > 0xffffffff ? Math.floor(index / 4294967296) : 0;
    threefry2x32Into(k0, k1, hi, index >>> 0, pair, 0);
    out[i] = pair[0]! ^ pair[1]!;
  }
};
