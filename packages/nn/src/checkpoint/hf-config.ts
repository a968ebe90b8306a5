/**
 * `config.json` as Hugging Face's `save_pretrained` writes it: every config key plus `architectures`,
 * `model_type`, `torch_dtype` and `transformers_version`, keys sorted, two-space indent. Reading takes
 * the keys we know (falling back to HF's defaults for absent ones), type-checks them and validates.
 */
import * as E from "fp-ts/lib/Either.js";
import { pipe } from "fp-ts/lib/function.js";
import { BERT_DEFAULTS, type BertConfig, validateBertConfig } from "../models/bert/config.js";
import { GPT2_DEFAULTS, type Gpt2Config, validateGpt2Config } from "../models/gpt2/config.js";
import type { CheckpointError } from "./errors.js";

/** The transformers release whose file layout we write (any 4.x reads it). */
export const TRANSFORMERS_VERSION = "4.46.3";

/** The architectures we save and load, by HF `model_type`. */
export const ARCHITECTURES = { gpt2: "GPT2LMHeadModel", bert: "BertForMaskedLM" } as const;

/** HF `model_type` values we read and write. */
export type ModelType = keyof typeof ARCHITECTURES;

const sortKeys = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * A flat JSON object as transformers writes its config files (`json.dumps(d, indent=2, sort_keys=True)`
 * plus a newline); its keys must not look like integers, which `JSON.stringify` would move first.
 * @example sortedJson({ b: 1, a: 2 }) // '{\n  "a": 2,\n  "b": 1\n}\n'
 */
export const sortedJson = (o: Record<string, unknown>): string => `${JSON.stringify(sortKeys(o), null, 2)}\n`;

/**
 * The config.json text for a model, as HF writes it.
 * @example await writeFile("ckpt/config.json", configJson("gpt2", config));
 */
export const configJson = (modelType: ModelType, config: Gpt2Config | BertConfig): string =>
  sortedJson({
    ...config,
    architectures: [ARCHITECTURES[modelType]],
    model_type: modelType,
    torch_dtype: "float32",
    transformers_version: TRANSFORMERS_VERSION,
  });

// Keys whose HF default is null: any number (or null) is accepted.
const NULLABLE = new Set(["n_inner", "summary_activation", "classifier_dropout"]);

const readKnownKeys = <C extends object>(
  json: Record<string, unknown>,
  defaults: C,
  model: string,
): E.Either<CheckpointError, C> => {
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [key, fallback] of Object.entries(defaults as Record<string, unknown>)) {
    if (!(key in json)) continue;
    const value = json[key];
    const ok = NULLABLE.has(key)
      ? value === null || typeof value === "number" || typeof value === "string"
      : typeof value === typeof fallback;
    if (!ok) {
      return E.left({
        _tag: "InvalidConfig",
        message: `${model} config.json: "${key}" should be a ${typeof fallback}, got ${JSON.stringify(value)}.`,
      });
    }
    out[key] = value;
  }
  return E.right(out as C);
};

/** A parsed config.json: which model, and its configuration. */
export type ParsedConfig =
  | { readonly modelType: "gpt2"; readonly config: Gpt2Config }
  | { readonly modelType: "bert"; readonly config: BertConfig };

/**
 * Reads a parsed config.json (an HF GPT-2 or BERT config), dispatching on `model_type`.
 * @example parseConfigJson(JSON.parse(text)) // Right({ modelType: "gpt2", config })
 */
export const parseConfigJson = (json: unknown): E.Either<CheckpointError, ParsedConfig> => {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return E.left({ _tag: "InvalidConfig", message: "config.json must hold a JSON object." });
  }
  const record = json as Record<string, unknown>;
  const modelType = record.model_type;
  if (modelType === "gpt2") {
    return pipe(
      readKnownKeys(record, GPT2_DEFAULTS, "GPT-2"),
      E.flatMap(validateGpt2Config),
      E.map((config): ParsedConfig => ({ modelType: "gpt2", config })),
    );
  }
  if (modelType === "bert") {
    return pipe(
      readKnownKeys(record, BERT_DEFAULTS, "BERT"),
      E.flatMap(validateBertConfig),
      E.map((config): ParsedConfig => ({ modelType: "bert", config })),
    );
  }
  return E.left({
    _tag: "UnknownModelType",
    modelType,
    message: `config.json has model_type ${JSON.stringify(modelType)}; only "gpt2" (GPT2LMHeadModel) and "bert" (BertForMaskedLM) load here.`,
  });
};
