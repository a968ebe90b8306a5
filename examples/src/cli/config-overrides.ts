import * as E from "fp-ts/lib/Either.js";

/** A model-config value an override may set (the types of HF config.json values). */
export type ConfigValue = number | boolean | string | null;

/**
 * Parses `--config-overrides` as Hugging Face's `run_clm.py` / `run_mlm.py` do
 * (`PretrainedConfig.update_from_string`): comma-separated `key=value` pairs over keys the model's
 * config already has, each value read with the type of that key's default (int, float, bool, string;
 * `null` allowed where the default is null, as GPT-2's `n_inner`). `reserved` keys (set from the
 * tokenizer or data) are refused with the reason.
 *
 * @example parseConfigOverrides("resid_pdrop=0,n_layer=6", GPT2_DEFAULTS) // Right({ resid_pdrop: 0, n_layer: 6 })
 */
export const parseConfigOverrides = (
  text: string,
  defaults: object,
  reserved: Readonly<Record<string, string>> = {},
): E.Either<string, Record<string, ConfigValue>> => {
  const out: Record<string, ConfigValue> = {};
  if (text.trim() === "") return E.right(out);
  for (const pair of text.split(",")) {
    const eq = pair.indexOf("=");
    const key = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1).trim();
    const fail = (why: string) => E.left(`--config-overrides: ${why}`);
    if (eq < 0 || key === "") return fail(`expected key=value pairs separated by commas, got "${pair}"`);
    if (!Object.hasOwn(defaults, key))
      return fail(`"${key}" is not a key of this model's config (${Object.keys(defaults).join(", ")})`);
    if (Object.hasOwn(reserved, key)) return fail(`"${key}" cannot be overridden: ${reserved[key]}`);
    if (Object.hasOwn(out, key)) return fail(`"${key}" is given twice`);
    const like = (defaults as Record<string, unknown>)[key];
    const value = convertLike(like, raw);
    if (value === undefined) return fail(`${key}=${raw}: expected ${describe(like)}`);
    out[key] = value;
  }
  return E.right(out);
};

const convertLike = (like: unknown, raw: string): ConfigValue | undefined => {
  if (like === null) {
    if (raw === "null" || raw === "None") return null;
    const n = Number(raw);
    return raw !== "" && Number.isInteger(n) ? n : undefined;
  }
  switch (typeof like) {
    case "boolean":
      if (["true", "True", "1"].includes(raw)) return true;
      if (["false", "False", "0"].includes(raw)) return false;
      return undefined;
    case "number": {
      const n = Number(raw);
      if (raw === "" || !Number.isFinite(n)) return undefined;
      // HF types the value by the default's type. JS has one number type: an integral default (12)
      // marks an integer key, so n_layer=6.5 is refused; a float key (0.1, 1e-5) takes any number.
      return Number.isInteger(like) && !Number.isInteger(n) ? undefined : n;
    }
    case "string":
      return raw;
    default:
      return undefined;
  }
};

const describe = (like: unknown): string =>
  like === null
    ? "an integer or null"
    : typeof like === "boolean"
      ? "true or false"
      : typeof like === "number"
        ? Number.isInteger(like)
          ? "an integer"
          : "a number"
        : "a string";
