/**
 * Saving and loading optimizer state so a run resumes exactly: `<base>.safetensors` holds every tensor
 * of the state under its dotted path (`1.mu.h.0.attn.c_attn.weight`), `<base>.json` the plain leaves
 * (step counts), the step and the optimizer's hyperparameters.
 */
import { readFile } from "node:fs/promises";
import { type DType, dispose, fromTypedArray, io, type Tensor } from "@scratchgrad/tensor";
import * as E from "fp-ts/lib/Either.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import type { GradientTransformation, Json } from "../types.js";

/** The tensors optimizer state holds, as safetensors records. */
type StateTensorData =
  | { readonly dtype: "F32"; readonly shape: readonly number[]; readonly data: Float32Array }
  | { readonly dtype: "I32"; readonly shape: readonly number[]; readonly data: Int32Array }
  | { readonly dtype: "BOOL"; readonly shape: readonly number[]; readonly data: Uint8Array };

import { flattenState, mapStateLeaves, type StaticLeaf } from "./state-tree.js";

/** Why optimizer state could not be saved or loaded. Switch on `_tag`; show `message`. */
export type OptimizerStateError =
  | { readonly _tag: "IoError"; readonly path: string; readonly message: string }
  | { readonly _tag: "InvalidFile"; readonly path: string; readonly message: string }
  | {
      readonly _tag: "TreeMismatch";
      readonly message: string;
      readonly missing: readonly string[];
      readonly unexpected: readonly string[];
      readonly mismatched: readonly string[];
    }
  | {
      readonly _tag: "HyperparameterMismatch";
      readonly message: string;
      readonly saved: Json;
      readonly current: Json;
    };

const FORMAT = "scratchgrad.optimizer-state";
const VERSION = 1;

/** The JSON half of a saved optimizer state. */
export interface OptimizerStateJson {
  readonly format: typeof FORMAT;
  readonly version: number;
  /** The first `count` leaf of the state (the optimizer step), or null when the state has none. */
  readonly step: number | null;
  readonly hyperparameters: Json;
  /** Every non-tensor leaf of the state by dotted path. */
  readonly statics: Readonly<Record<string, StaticLeaf>>;
}

/** The two files a saved state occupies: `path` with any `.safetensors`/`.json` suffix removed, plus each suffix. */
export const optimizerStatePaths = (path: string): { readonly tensors: string; readonly json: string } => {
  const base = path.replace(/\.(safetensors|json)$/, "");
  return { tensors: `${base}.safetensors`, json: `${base}.json` };
};

const SAFETENSORS_DTYPE: Readonly<Record<DType, StateTensorData["dtype"]>> = {
  float32: "F32",
  int32: "I32",
  bool: "BOOL",
};
const TENSOR_DTYPE: Readonly<Record<StateTensorData["dtype"], DType>> = {
  F32: "float32",
  I32: "int32",
  BOOL: "bool",
};

const ioError = (path: string, action: string, e: unknown): OptimizerStateError => ({
  _tag: "IoError",
  path,
  message: `could not ${action} ${path}: ${e instanceof Error ? e.message : String(e)}`,
});

/**
 * Writes an optimizer state to `<base>.safetensors` (its tensors) and `<base>.json` (step counts, the
 * step, `optimizer.hyperparameters` when `optimizer` is given). Each file is written to a temporary
 * name and renamed, so a crash never leaves a truncated file.
 * @example
 * await saveOptimizerState(state, "ckpt/optimizer", opt)(); // ckpt/optimizer.safetensors + .json
 */
export const saveOptimizerState =
  (
    state: unknown,
    path: string,
    optimizer?: GradientTransformation<any>,
  ): TE.TaskEither<OptimizerStateError, void> =>
  async () => {
    const files = optimizerStatePaths(path);
    const { tensors, statics } = flattenState(state);
    const raw: Record<string, StateTensorData> = {};
    for (const [name, t] of tensors)
      raw[name] = { dtype: SAFETENSORS_DTYPE[t.dtype], shape: t.shape, data: t.data() } as StateTensorData;
    const step =
      [...statics].find(([name, v]) => /(^|\.)count$/.test(name) && typeof v === "number")?.[1] ?? null;
    const json: OptimizerStateJson = {
      format: FORMAT,
      version: VERSION,
      step: step as number | null,
      hyperparameters: optimizer?.hyperparameters ?? null,
      statics: Object.fromEntries(statics),
    };
    try {
      await io.writeFileAtomically(
        files.tensors,
        io.serializeSafetensors(raw, { format: FORMAT, step: String(step) }),
      );
    } catch (e) {
      return E.left(ioError(files.tensors, "write", e));
    }
    try {
      await io.writeFileAtomically(files.json, `${JSON.stringify(json, null, 2)}\n`);
    } catch (e) {
      return E.left(ioError(files.json, "write", e));
    }
    return E.right(undefined);
  };

/** Options of `loadOptimizerState`. */
export interface LoadOptimizerStateOptions {
  /** Accept a file saved with other hyperparameters (e.g. a changed learning rate). Default false. */
  readonly allowHyperparameterChange?: boolean;
}

const listed = (names: readonly string[]): string =>
  names.length <= 8 ? names.join(", ") : `${names.slice(0, 8).join(", ")} and ${names.length - 8} more`;

/**
 * Loads a state saved by `saveOptimizerState` for `optimizer` over parameters shaped like
 * `paramsTemplate` (the tree structure, shapes and dtypes `optimizer.init(paramsTemplate)` gives must
 * match the files exactly). The loaded tensors belong to no scope: dispose them (or let
 * `disposeReplaced` do it) when the state is replaced.
 * @example
 * const loaded = await loadOptimizerState("ckpt/optimizer", opt, params)();
 * if (E.isLeft(loaded)) throw new Error(loaded.left.message);
 * let state = loaded.right;
 */
export const loadOptimizerState =
  <S>(
    path: string,
    optimizer: GradientTransformation<S>,
    paramsTemplate: unknown,
    options: LoadOptimizerStateOptions = {},
  ): TE.TaskEither<OptimizerStateError, S> =>
  async () => {
    const files = optimizerStatePaths(path);
    let jsonText: string;
    let bytes: Uint8Array;
    try {
      jsonText = await readFile(files.json, "utf8");
    } catch (e) {
      return E.left(ioError(files.json, "read", e));
    }
    try {
      bytes = await readFile(files.tensors);
    } catch (e) {
      return E.left(ioError(files.tensors, "read", e));
    }
    let json: OptimizerStateJson;
    try {
      json = JSON.parse(jsonText);
    } catch (e) {
      return E.left({
        _tag: "InvalidFile",
        path: files.json,
        message: `${files.json} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
      });
    }
    if (
      json?.format !== FORMAT ||
      json.version !== VERSION ||
      typeof json.statics !== "object" ||
      json.statics === null
    ) {
      return E.left({
        _tag: "InvalidFile",
        path: files.json,
        message: `${files.json} is not a ${FORMAT} v${VERSION} file; write it with saveOptimizerState`,
      });
    }
    const decoded = io.parseSafetensors(bytes);
    if (E.isLeft(decoded))
      return E.left({
        _tag: "InvalidFile",
        path: files.tensors,
        message: `${files.tensors}: ${decoded.left.message}`,
      });

    const current = optimizer.hyperparameters ?? null;
    if (
      !options.allowHyperparameterChange &&
      json.hyperparameters !== null &&
      current !== null &&
      JSON.stringify(json.hyperparameters) !== JSON.stringify(current)
    ) {
      return E.left({
        _tag: "HyperparameterMismatch",
        saved: json.hyperparameters,
        current,
        message: `${files.json} was saved by an optimizer with hyperparameters ${JSON.stringify(json.hyperparameters)}, the optimizer given has ${JSON.stringify(current)}; build the same optimizer, or pass { allowHyperparameterChange: true } to resume with the new one`,
      });
    }

    const template = optimizer.init(paramsTemplate);
    try {
      const expected = flattenState(template);
      const saved = decoded.right.tensors;
      const missing: string[] = [];
      const mismatched: string[] = [];
      for (const [name, t] of expected.tensors) {
        const s = saved[name];
        if (!s) missing.push(name);
        else if (
          TENSOR_DTYPE[s.dtype as StateTensorData["dtype"]] !== t.dtype ||
          s.shape.length !== t.rank ||
          s.shape.some((d, i) => d !== t.shape[i])
        ) {
          mismatched.push(
            `${name} (saved ${s.dtype}[${s.shape.join(", ")}], expected ${SAFETENSORS_DTYPE[t.dtype]}[${t.shape.join(", ")}])`,
          );
        }
      }
      for (const [name, v] of expected.statics) {
        if (!(name in json.statics)) missing.push(name);
        else if (typeof json.statics[name] !== typeof v)
          mismatched.push(`${name} (saved ${typeof json.statics[name]}, expected ${typeof v})`);
      }
      const unexpected = [
        ...Object.keys(saved).filter((n) => !expected.tensors.has(n)),
        ...Object.keys(json.statics).filter((n) => !expected.statics.has(n)),
      ];
      if (missing.length + unexpected.length + mismatched.length > 0) {
        const parts = [
          missing.length ? `missing ${listed(missing)}` : "",
          unexpected.length ? `unexpected ${listed(unexpected)}` : "",
          mismatched.length ? `mismatched ${listed(mismatched)}` : "",
        ].filter(Boolean);
        return E.left({
          _tag: "TreeMismatch",
          missing,
          unexpected,
          mismatched,
          message: `${path}: saved optimizer state does not fit this optimizer and these parameters (${parts.join("; ")}); load it with the optimizer and parameter tree it was saved with`,
        });
      }
      const state = mapStateLeaves(
        template,
        (_t: Tensor, name) => {
          const s = saved[name]!;
          const data = s as StateTensorData; // dtypes were checked above
          return fromTypedArray(data.data, data.shape, TENSOR_DTYPE[data.dtype]);
        },
        (_v, name) => json.statics[name]!,
      );
      return E.right(state);
    } finally {
      dispose(template);
    }
  };
