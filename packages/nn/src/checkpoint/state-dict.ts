/**
 * Parameter trees ↔ Hugging Face state dicts. Our trees are laid out so their dotted paths *are* HF's
 * names and their weights are in HF's layouts: saving flattens, loading checks every name and shape
 * against the spec and rebuilds the tree. No tensor is ever transposed.
 */
import { fromTypedArray, type io, type Tensor, treeFlatten } from "@scratchgrad/tensor";
import * as E from "fp-ts/lib/Either.js";
import { mapSpec, type ParamsOf, shapesOf } from "../params/spec.js";
import { type CheckpointError, missingKeys, shapeMismatch, unexpectedKeys, untiedWeights } from "./errors.js";

/** A named float32 tensor as host data. */
export interface HostTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/**
 * Every parameter as host float32 data under its HF name (the tree's dotted path).
 * @example toStateDict(params).get("transformer.wte.weight")!.shape // [50257, 768]
 */
export const toStateDict = (params: unknown): Map<string, HostTensor> => {
  const out = new Map<string, HostTensor>();
  for (const [name, t] of treeFlatten(params)) {
    if (t.dtype !== "float32")
      throw new Error(`toStateDict: ${name} is ${t.dtype}; parameters must be float32.`);
    out.set(name, { shape: [...t.shape], data: t.data() as Float32Array });
  }
  return out;
};

/** How a model reads checkpoints written by other code: names to rename, and names HF itself ignores. */
export interface LoadRules {
  /** The model's name in error messages ("GPT2LMHeadModel"). */
  readonly model: string;
  /** Maps a file's name to ours (legacy names, missing prefixes); identity by default. */
  readonly rename?: (name: string, allNames: readonly string[]) => string;
  /** Names present in HF files that carry nothing we need (buffers, an unused pooler). */
  readonly ignore?: (name: string) => boolean;
  /**
   * Tied copies HF may store (`lm_head.weight` → `transformer.wte.weight`): by our name, the parameter
   * each must equal. Equal, it is skipped; different, loading fails (`UntiedWeights`).
   */
  readonly tied?: Readonly<Record<string, string>>;
}

/** Same shape and the same values (NaN equal to NaN): a tied copy of `b`. */
const sameValues = (a: HostTensor, b: HostTensor): boolean => {
  if (!sameShape(a.shape, b.shape) || a.data.length !== b.data.length) return false;
  for (let i = 0; i < a.data.length; i++) {
    const x = a.data[i]!;
    const y = b.data[i]!;
    if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) return false;
  }
  return true;
};

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * Rebuilds a parameter tree from a state dict, checking it against `spec`: every expected name
 * present (else `MissingKeys`), no unknown names (else `UnexpectedKeys`), every shape equal (else
 * `ShapeMismatch`, naming both shapes), every tied copy equal to its parameter (else `UntiedWeights`).
 * Values are copied exactly.
 * @example const params = fromStateDict(gpt2Spec(config), tensors, { model: "GPT2LMHeadModel" });
 */
export const fromStateDict = <S extends object>(
  spec: S,
  tensors: ReadonlyMap<string, HostTensor>,
  rules: LoadRules,
): E.Either<CheckpointError, ParamsOf<S>> => {
  const names = [...tensors.keys()];
  const byName = new Map<string, HostTensor>();
  const unexpected: string[] = [];
  const copies: [string, HostTensor][] = [];
  const expected = shapesOf(spec);
  for (const name of names) {
    const ours = rules.rename ? rules.rename(name, names) : name;
    if (expected.has(ours)) byName.set(ours, tensors.get(name)!);
    else if (rules.tied?.[ours] !== undefined) copies.push([ours, tensors.get(name)!]);
    else if (!rules.ignore?.(ours)) unexpected.push(name);
  }
  const missing = [...expected.keys()].filter((k) => !byName.has(k));
  if (missing.length > 0) return E.left(missingKeys(missing, rules.model));
  if (unexpected.length > 0) return E.left(unexpectedKeys(unexpected, rules.model));
  for (const [name, shape] of expected) {
    const got = byName.get(name)!.shape;
    if (!sameShape(shape, got)) return E.left(shapeMismatch(name, shape, got));
  }
  for (const [name, copy] of copies) {
    const target = rules.tied![name]!;
    if (!sameValues(copy, byName.get(target)!)) return E.left(untiedWeights(name, target, rules.model));
  }
  return E.right(
    mapSpec(
      spec,
      (leaf, path): Tensor => fromTypedArray(byName.get(path)!.data, leaf.shape, "float32"),
    ) as ParamsOf<S>,
  );
};

/**
 * safetensors records → host float32 tensors: F32 as is, F16/BF16 (decoded exactly by the reader) and
 * F64 (rounded) to float32; integer or bool tensors are `UnsupportedDtype` errors.
 * @example const host = fromRawTensors(parsed.tensors);
 */
export const fromRawTensors = (
  tensors: Readonly<Record<string, io.RawTensor>>,
): E.Either<CheckpointError, Map<string, HostTensor>> => {
  const out = new Map<string, HostTensor>();
  for (const [name, raw] of Object.entries(tensors)) {
    if (raw.dtype === "F32" || raw.dtype === "F16" || raw.dtype === "BF16")
      out.set(name, { shape: raw.shape, data: raw.data });
    else if (raw.dtype === "F64") out.set(name, { shape: raw.shape, data: Float32Array.from(raw.data) });
    else {
      return E.left({
        _tag: "UnsupportedDtype",
        key: name,
        dtype: raw.dtype,
        message: `${name}: dtype ${raw.dtype} is not a float type; model parameters must be F32, F16, BF16 or F64.`,
      });
    }
  }
  return E.right(out);
};

/**
 * Host tensors → safetensors F32 records, ready for `io.writeSafetensorsFile`.
 * @example io.serializeSafetensors(toRawTensors(toStateDict(params)), { format: "pt" })
 */
export const toRawTensors = (tensors: ReadonlyMap<string, HostTensor>): Record<string, io.RawTensorInput> =>
  Object.fromEntries(
    [...tensors].map(([name, t]) => [name, { dtype: "F32" as const, shape: t.shape, data: t.data }]),
  );
