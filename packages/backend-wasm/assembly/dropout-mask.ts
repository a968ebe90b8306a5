// Dropout multipliers straight from the PRNG stream, bit for bit what the tensor package's
// `dropoutMultiplier` (packages/tensor/src/random/dropout-mask.ts) computes on the host.
//
// The stream is JAX's partitionable Threefry-2x32 (20 rounds): word w of a key's stream is x0 ^ x1 of
// threefry2x32(key, counter = (0, w)). The high counter word is always 0 here, since a wasm32 memory
// cannot hold the 2^33 floats that would need w >= 2^32. Word w decides elements 2w (its high 16 bits)
// and 2w + 1 (its low 16 bits): 0 when the half is below `threshold`, else `scale`.
//
// Words are independent of each other, so the four i32x4 lanes hash four consecutive counters and
// any word range [start, end) can run on any thread.

// Threefry's key-schedule parity constant: the third key word is C240 ^ k0 ^ k1.
const C240: i32 = 0x1bd11bda;

// wasm SIMD has no rotate: rotl(x, r) = (x << r) | (x >>> (32 - r)), r a constant after inlining.
// @ts-ignore: decorator
@inline
function rotl(x: v128, r: i32): v128 {
  return v128.or(i32x4.shl(x, r), i32x4.shr_u(x, 32 - r));
}

/**
 * Threefry-2x32 stream words for the four counters in `counter` (lanes: w, w+1, w+2, w+3). The key
 * schedule arrives pre-splatted (`ks0`, `ks1`, `ks2`) and pre-added with the injection indices
 * (`inj1` = ks2 + 1, `inj2` = ks0 + 2, `inj3` = ks1 + 3, `inj4` = ks2 + 4, `inj5` = ks0 + 5), so the
 * loop body holds no splats. Rotation constants R = [13, 15, 26, 6, 17, 29, 16, 24].
 */
// @ts-ignore: decorator
@inline
function words4(
  counter: v128,
  ks0: v128,
  ks1: v128,
  ks2: v128,
  inj1: v128,
  inj2: v128,
  inj3: v128,
  inj4: v128,
  inj5: v128,
): v128 {
  // Counter (hi, lo) = (0, w): x0 = 0 + k0, x1 = w + k1.
  let x0 = ks0;
  let x1 = i32x4.add(counter, ks1);
  // Rounds 1-4, then inject (k1, k2 + 1).
  x0 = i32x4.add(x0, x1);
  x1 = v128.xor(rotl(x1, 13), x0);
  x0 = i32x4.add(x0, x1);
  x1 = v128.xor(rotl(x1, 15), x0);
  x0 = i32x4.add(x0, x1);
  x1 = v128.xor(rotl(x1, 26), x0);
  x0 = i32x4.add(x0, x1);
  x1 = v128.xor(rotl(x1, 6), x0);
  x0 = i32x4.add(x0, ks1);
  x1 = i32x4.add(x1, inj1);
  // Rounds 5-8, then inject (k2, k0 + 2).
  x0 = i32x4.add(x0, x1);
  x1 = v128.xor(rotl(x1, 17), x0);
  x0 = i32x4.add(x0, x1);
  x1 = v128.xor(rotl(x1, 29), x0);
  x0 = i32x4.add(x0, x1);
  x1 = v128.xor(rotl(x1, 16), x0);
  x0 = i32x4.add(x0, x1);
  x1 = v128.xor(rotl(x1, 24), x0);
  x0 = i32x4.add(x0, ks2);
  x1 = i32x4.add(x1, inj2);
  // Rounds 9-12, then inject (k0, k1 + 3).
  x0 = i32x4.add(x0, x1);
  x1 = v128.xor(rotl(x1, 13), x0);
  x0 = i32x4.add(x0, x1);
  x1 = v128.xor(rotl(x1, 15), x0);
  x0 = i32x4.add(x0, x1);
  x1 = v128.xor(rotl(x1, 26), x0);
  x0 = i32x4.add(x0, x1);
  x1 = v128.xor(rotl(x1, 6), x0);
  x0 = i32x4.add(x0, ks0);
  x1 = i32x4.add(x1, inj3);
  // Rounds 13-16, then inject (k1, k2 + 4).
  x0 = i32x4.add(x0, x1);
  x1 = v128.xor(rotl(x1, 17), x0);
  x0 = i32x4.add(x0, x1);
  x1 = v128.xor(rotl(x1, 29), x0);
  x0 = i32x4.add(x0, x1);
  x1 = v128.xor(rotl(x1, 16), x0);
  x0 = i32x4.add(x0, x1);
  x1 = v128.xor(rotl(x1, 24), x0);
  x0 = i32x4.add(x0, ks1);
  x1 = i32x4.add(x1, inj4);
  // Rounds 17-20, then inject (k2, k0 + 5).
  x0 = i32x4.add(x0, x1);
  x1 = v128.xor(rotl(x1, 13), x0);
  x0 = i32x4.add(x0, x1);
  x1 = v128.xor(rotl(x1, 15), x0);
  x0 = i32x4.add(x0, x1);
  x1 = v128.xor(rotl(x1, 26), x0);
  x0 = i32x4.add(x0, x1);
  x1 = v128.xor(rotl(x1, 6), x0);
  x0 = i32x4.add(x0, ks2);
  x1 = i32x4.add(x1, inj5);
  // The partitionable stream's word is the xor of the two output halves.
  return v128.xor(x0, x1);
}

// Stores the eight multipliers of four consecutive words at `at`: high half, low half, word by word.
// Halves are in [0, 65536), so a signed compare is exact; a dropped lane compares all ones and
// `andnot` clears it.
// @ts-ignore: decorator
@inline
function storeGroup(word: v128, limit: v128, kept: v128, low16: v128, at: usize): void {
  const high = v128.andnot(kept, i32x4.lt_s(i32x4.shr_u(word, 16), limit));
  const low = v128.andnot(kept, i32x4.lt_s(v128.and(word, low16), limit));
  v128.store(at, i32x4.shuffle(high, low, 0, 4, 1, 5));
  v128.store(at, i32x4.shuffle(high, low, 2, 6, 3, 7), 16);
}

/**
 * Writes the dropout multipliers decided by stream words [start, end) of the key (k0, k1): floats
 * 2·start .. min(2·end, count) of `out`. Element e is 0 when its 16-bit half (word e/2, high half for
 * even e) is below `threshold` (0..65536), else `scale`. Only the stream's last word can be half used
 * (odd `count`).
 */
export function dropoutMask(
  k0: i32,
  k1: i32,
  threshold: i32,
  scale: f32,
  out: usize,
  count: i32,
  start: i32,
  end: i32,
): void {
  const k2 = C240 ^ k0 ^ k1;
  const ks0 = i32x4.splat(k0);
  const ks1 = i32x4.splat(k1);
  const ks2 = i32x4.splat(k2);
  const inj1 = i32x4.splat(k2 + 1);
  const inj2 = i32x4.splat(k0 + 2);
  const inj3 = i32x4.splat(k1 + 3);
  const inj4 = i32x4.splat(k2 + 4);
  const inj5 = i32x4.splat(k0 + 5);
  const limit = i32x4.splat(threshold);
  const kept = f32x4.splat(scale);
  const low16 = i32x4.splat(0xffff);
  const four = i32x4.splat(4);
  const eight = i32x4.splat(8);
  let counter = i32x4.add(i32x4.splat(start), v128(0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0));
  // Words whose two elements both exist.
  const fullEnd = min(end, count >> 1);
  let w = start;
  // Two independent groups per iteration: one group's 20 rounds are a serial dependency chain, and
  // a second one beside it fills the idle issue slots (~20% faster than one group on the EPYC dev box).
  for (; w + 8 <= fullEnd; w += 8) {
    const first = words4(counter, ks0, ks1, ks2, inj1, inj2, inj3, inj4, inj5);
    const second = words4(i32x4.add(counter, four), ks0, ks1, ks2, inj1, inj2, inj3, inj4, inj5);
    const at = out + (<usize>w << 3);
    storeGroup(first, limit, kept, low16, at);
    storeGroup(second, limit, kept, low16, at + 32);
    counter = i32x4.add(counter, eight);
  }
  if (w + 4 <= fullEnd) {
    const word = words4(counter, ks0, ks1, ks2, inj1, inj2, inj3, inj4, inj5);
    storeGroup(word, limit, kept, low16, out + (<usize>w << 3));
    counter = i32x4.add(counter, four);
    w += 4;
  }
  if (w >= end) return;
  // The tail: 1-7 elements (fewer than four words left in this range, or the stream's odd last word).
  const word = words4(counter, ks0, ks1, ks2, inj1, inj2, inj3, inj4, inj5);
  const high = v128.andnot(kept, i32x4.lt_s(i32x4.shr_u(word, 16), limit));
  const low = v128.andnot(kept, i32x4.lt_s(v128.and(word, low16), limit));
  const first = i32x4.shuffle(high, low, 0, 4, 1, 5);
  const second = i32x4.shuffle(high, low, 2, 6, 3, 7);
  const n = min(end << 1, count) - (w << 1);
  const at = out + (<usize>w << 3);
  store<i32>(at, i32x4.extract_lane(first, 0));
  if (n > 1) store<i32>(at, i32x4.extract_lane(first, 1), 4);
  if (n > 2) store<i32>(at, i32x4.extract_lane(first, 2), 8);
  if (n > 3) store<i32>(at, i32x4.extract_lane(first, 3), 12);
  if (n > 4) store<i32>(at, i32x4.extract_lane(second, 0), 16);
  if (n > 5) store<i32>(at, i32x4.extract_lane(second, 1), 20);
  if (n > 6) store<i32>(at, i32x4.extract_lane(second, 2), 24);
}
