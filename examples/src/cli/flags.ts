import * as E from "fp-ts/lib/Either.js";

/**
 * Command-line flags in Hugging Face TrainingArguments' names, kebab-cased (`--learning-rate` is
 * `learning_rate`). A spec lists each flag once with its type, default and help line; parsing
 * returns an Either so a bad value is reported before any work starts.
 */
export type FlagType = "string" | "int" | "float" | "boolean";

export interface FlagSpec {
  readonly type: FlagType;
  readonly default?: string | number | boolean;
  readonly help: string;
  /** Allowed values for a string flag. */
  readonly choices?: readonly string[];
  /** Lower bound (inclusive) for numbers. */
  readonly min?: number;
  /** Upper bound (inclusive) for numbers. */
  readonly max?: number;
  /** Upper bound (exclusive) for numbers: a ratio in [0, 1) has `min: 0, below: 1`. */
  readonly below?: number;
  /** Must be > 0 (for numbers). */
  readonly positive?: boolean;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

export type FlagValues<S extends FlagSpecs> = {
  -readonly [K in keyof S]: S[K]["type"] extends "int" | "float"
    ? number
    : S[K]["type"] extends "boolean"
      ? boolean
      : string;
};

export interface ParsedFlags<S extends FlagSpecs> {
  readonly values: FlagValues<S>;
  /** Flags the user set explicitly (the rest are defaults). */
  readonly given: ReadonlySet<string>;
  readonly help: boolean;
}

const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

const camel = (kebab: string): string => kebab.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

const convert = (name: string, spec: FlagSpec, raw: string): E.Either<string, string | number | boolean> => {
  switch (spec.type) {
    case "string":
      if (spec.choices && !spec.choices.includes(raw))
        return E.left(`--${name}: "${raw}" is not one of ${spec.choices.join(", ")}`);
      return E.right(raw);
    case "boolean":
      // HF's commands write `--overwrite_output_dir True`
      if (["true", "1", "yes", ""].includes(raw.toLowerCase())) return E.right(true);
      if (["false", "0", "no"].includes(raw.toLowerCase())) return E.right(false);
      return E.left(`--${name}: expected true or false, got "${raw}"`);
    case "int":
    case "float": {
      // decimal only: Number() would also take "0x10", "0b1", " 7 " and "Infinity"
      if (!DECIMAL.test(raw)) return E.left(`--${name}: expected a number, got "${raw}"`);
      const v = Number(raw);
      if (!Number.isFinite(v)) return E.left(`--${name}: expected a finite number, got "${raw}"`);
      if (spec.type === "int" && !Number.isSafeInteger(v))
        return E.left(`--${name}: expected an integer, got "${raw}"`);
      if (spec.positive && !(v > 0)) return E.left(`--${name}: must be > 0, got ${raw}`);
      if (spec.min !== undefined && v < spec.min)
        return E.left(`--${name}: must be ≥ ${spec.min}, got ${raw}`);
      if (spec.max !== undefined && v > spec.max)
        return E.left(`--${name}: must be ≤ ${spec.max}, got ${raw}`);
      if (spec.below !== undefined && !(v < spec.below))
        return E.left(`--${name}: must be < ${spec.below}, got ${raw}`);
      return E.right(v);
    }
  }
};

/**
 * Parses `--flag value`, `--flag=value` and bare boolean flags; each flag also in snake_case
 * (`--learning_rate`, as HfArgumentParser takes both spellings). Values are keyed in camelCase.
 * @example parseFlags(specs, ["--learning-rate", "1e-3"]) // Right({ values: { learningRate: 0.001, ... } })
 */
export const parseFlags = <S extends FlagSpecs>(
  specs: S,
  argv: readonly string[],
): E.Either<string, ParsedFlags<S>> => {
  const values: Record<string, unknown> = {};
  const given = new Set<string>();
  for (const [name, spec] of Object.entries(specs))
    if (spec.default !== undefined) values[camel(name)] = spec.default;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") continue;
    if (arg === "--help" || arg === "-h") {
      help = true;
      continue;
    }
    if (!arg.startsWith("--"))
      return E.left(`unexpected argument "${arg}" (flags start with --; see --help)`);
    const eq = arg.indexOf("=");
    const typed = arg.slice(2, eq < 0 ? undefined : eq);
    // HF's snake_case spelling names the same flag; messages use the kebab-case name
    const name = typed.replace(/_/g, "-");
    // own keys only: "--constructor" or "--__proto__" must not find Object.prototype's
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (!spec) return E.left(`unknown flag --${typed} (see --help)`);
    let raw: string;
    if (eq >= 0) raw = arg.slice(eq + 1);
    else if (spec.type === "boolean" && (argv[i + 1] === undefined || argv[i + 1]!.startsWith("--")))
      raw = "true";
    else {
      const next = argv[++i];
      if (next === undefined) return E.left(`--${name} needs a value`);
      raw = next;
    }
    const v = convert(name, spec, raw);
    if (E.isLeft(v)) return v;
    values[camel(name)] = v.right;
    given.add(camel(name));
  }
  return E.right({ values: values as FlagValues<S>, given, help });
};

/** The --help text: usage line, then one line per flag with its default. */
export const formatHelp = (usage: string, description: string, specs: FlagSpecs): string => {
  const rows = Object.entries(specs).map(([name, s]) => {
    const left = `  --${name}${s.type === "boolean" ? "" : ` <${s.choices ? s.choices.join("|") : s.type}>`}`;
    const def = s.default === undefined || s.default === "" ? "" : ` (default: ${s.default})`;
    return `${left.padEnd(44)} ${s.help}${def}`;
  });
  return `${usage}\n\n${description}\n\nOptions:\n${rows.join("\n")}\n  --help${" ".repeat(38)} Show this help.`;
};
