/**
 * PRNG keys: an immutable pair of uint32 words, the Threefry key. Keys are never mutated or "advanced";
 * new keys come from `split` and `foldIn`, so every random draw is a pure function of where its key came
 * from. This is JAX's design (`jax.random.key`, `split`, `fold_in`) and its partitionable Threefry
 * construction (the default since JAX 0.5): a key's streams are indexed by a 64-bit counter, and
 * `split(k, n)[i]` is the Threefry hash of the counter `i`.
 */
import * as E from "fp-ts/lib/Either.js";
import { threefry2x32Into } from "./threefry.js";

/**
 * A PRNG key: two uint32 words `[hi, lo]`. A plain frozen array, so it is cheap to create, compares with
 * `toEqual`, and `JSON.stringify(key)` already gives `[hi, lo]` (see `keyToJson` / `keyFromJson`).
 */
export type Key = readonly [hi: number, lo: number];

const TWO_32 = 4294967296;

const makeKey = (hi: number, lo: number): Key => Object.freeze([hi >>> 0, lo >>> 0] as const);

/**
 * Makes a key from an integer seed, like `jax.random.key(seed)`: seeds in the int32/uint32 range give
 * `[0, seed mod 2^32]` (what JAX gives with its default 32-bit seeds); larger seeds, up to 2^53, give
 * `[floor(seed / 2^32), seed mod 2^32]` (what JAX gives with 64-bit seeds).
 *
 * @example
 * key(0);  // [0, 0]
 * key(42); // [0, 42]
 */
export const key = (seed: number): Key => {
  if (!Number.isSafeInteger(seed) || seed < -0x80000000) {
    throw new RangeError(
      `key: seed must be an integer in [-2^31, 2^53), got ${seed}. Use e.g. key(0) or key(Date.now()).`,
    );
  }
  if (seed < TWO_32) return makeKey(0, seed >>> 0);
  return makeKey(Math.floor(seed / TWO_32), seed % TWO_32);
};

const checkKey = (op: string, k: Key): void => {
  if (!Array.isArray(k) || k.length !== 2) {
    throw new TypeError(`${op}: expected a key [hi, lo] made by key(seed), got ${JSON.stringify(k)}.`);
  }
};

/**
 * Splits a key into `n` new independent keys (default 2), like `jax.random.split`. Use one of them
 * to draw and keep another for later; never draw twice from the same key.
 *
 * Note (same as JAX): `split(k, n)[i]` equals `foldIn(k, i)`, so derive children of one key either by
 * `split` or by `foldIn`, not both.
 *
 * @example
 * const [paramsKey, dropoutKey] = split(key(0));
 * split(key(1), 3); // [[507451445, 1853169794], [1948878966, 4237131848], [2441914641, 3819641963]]
 */
export const split = (k: Key, n = 2): Key[] => {
  checkKey("split", k);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`split: n must be a non-negative integer, got ${n}.`);
  }
  const out = new Uint32Array(2);
  const keys: Key[] = new Array(n);
  for (let i = 0; i < n; i++) {
    threefry2x32Into(k[0], k[1], Math.floor(i / TWO_32), i >>> 0, out, 0);
    keys[i] = makeKey(out[0]!, out[1]!);
  }
  return keys;
};

/**
 * Derives a new key from a key and an integer, like `jax.random.fold_in`: handy for per-step or
 * per-layer keys (`foldIn(trainKey, step)`) without threading splits through a loop.
 *
 * @example
 * const stepKey = foldIn(key(0), 1000);
 */
export const foldIn = (k: Key, data: number): Key => {
  checkKey("foldIn", k);
  if (!Number.isInteger(data) || data < -0x80000000 || data >= TWO_32) {
    throw new RangeError(`foldIn: data must be an int32 or uint32 integer, got ${data}.`);
  }
  const out = new Uint32Array(2);
  threefry2x32Into(k[0], k[1], 0, data >>> 0, out, 0);
  return makeKey(out[0]!, out[1]!);
};

/** Why a JSON value is not a key; `message` says what was expected. */
export interface InvalidKeyJson {
  readonly _tag: "InvalidKeyJson";
  readonly message: string;
}

/**
 * The JSON form of a key: `[hi, lo]` as plain numbers (a mutable copy, ready for `JSON.stringify`),
 * for checkpoints that must resume the same random stream.
 *
 * @example
 * JSON.stringify({ step: 10, key: keyToJson(k) });
 */
export const keyToJson = (k: Key): [number, number] => [k[0], k[1]];

/**
 * Reads a key back from its JSON form `[hi, lo]` (two integers in [0, 2^32)), validating it.
 *
 * @example
 * keyFromJson(JSON.parse("[0, 42]")); // right([0, 42])
 * keyFromJson([1.5, 2]);              // left({ _tag: "InvalidKeyJson", message: "..." })
 */
export const keyFromJson = (value: unknown): E.Either<InvalidKeyJson, Key> => {
  const isWord = (x: unknown): x is number =>
    typeof x === "number" && Number.isInteger(x) && x >= 0 && x < TWO_32;
  if (Array.isArray(value) && value.length === 2 && isWord(value[0]) && isWord(value[1])) {
    return E.right(makeKey(value[0], value[1]));
  }
  let shown: string;
  try {
    shown = JSON.stringify(value) ?? String(value);
  } catch {
    shown = String(value);
  }
  return E.left({
    _tag: "InvalidKeyJson",
    message: `expected a PRNG key as [hi, lo] with two integers in [0, 2^32) (as written by keyToJson), got ${shown.slice(0, 100)}.`,
  });
};
