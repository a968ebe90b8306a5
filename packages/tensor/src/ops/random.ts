import type { Shape } from "../core/shape.js";
import { sizeOf } from "../core/shape.js";
import type { Tensor } from "../core/tensor.js";
import * as raw from "../random/index.js";
import { fromTypedArray } from "./creation.js";

/**
 * Random tensors from explicit keys. Streams are generated on the host by Threefry-2x32 with pure
 * 32-bit integer math and uploaded, so every backend sees bit-identical numbers for the same key
 * (GPU.js kernels compute in float32 and could not reproduce 32-bit integer hashing on WebGL).
 */
export const key = raw.key;
export const split = raw.split;
export const foldIn = raw.foldIn;
export type Key = raw.Key;

/** Normal(mean, std²) samples. @example normal(key(0), [768, 768], { std: 0.02 }) */
export const normal = (k: Key, shape: Shape, options: raw.NormalOptions = {}): Tensor =>
  fromTypedArray(raw.normal(k, sizeOf(shape), options), shape, "float32");

/** Uniform samples in [low, high). */
export const uniform = (k: Key, shape: Shape, options: raw.UniformOptions = {}): Tensor =>
  fromTypedArray(raw.uniform(k, sizeOf(shape), options), shape, "float32");

/** bool samples, true with probability p. */
export const bernoulli = (k: Key, shape: Shape, p: number): Tensor =>
  fromTypedArray(raw.bernoulli(k, sizeOf(shape), p), shape, "bool");

/** int32 samples uniform in [low, high). */
export const randint = (k: Key, shape: Shape, low: number, high: number): Tensor =>
  fromTypedArray(raw.randint(k, sizeOf(shape), low, high), shape, "int32");

/** A random permutation of 0..n-1 (int32). */
export const permutation = (k: Key, n: number): Tensor => fromTypedArray(raw.permutation(k, n), [n], "int32");
