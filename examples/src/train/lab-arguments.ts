/**
 * The trainers' command line, parsed once into typed, validated arguments: the flags (Hugging Face
 * TrainingArguments' names, kebab-cased), the recipe defaults a script resolves from other flags, and
 * every rule between flags, all checked before any work. Also the other direction: the flags a run was
 * given, as argv, which a checkpoint stores and the resume hint prints.
 */

import * as E from "fp-ts/lib/Either.js";
import { pipe } from "fp-ts/lib/function.js";
import { type FlagSpecs, parseFlags } from "../cli/flags.js";
import type { CamelFlagValues } from "../cli/main.js";
import { resolveHfRunMode } from "./hf-run-mode.js";
import type { LabFlagSpecs } from "./lab-flags.js";
import { warmupProblem } from "./training-args.js";

export { HUB_STRATEGIES, type LabDefaults, type LabFlagSpecs, labFlags } from "./lab-flags.js";

/** Every shared flag's value, typed (camelCase keys). */
export type LabArguments = CamelFlagValues<LabFlagSpecs>;

/** A script's flag specs: every shared flag (its default may differ or be resolved), plus its own. */
export type ScriptFlagSpecs = FlagSpecs & { readonly [K in keyof LabFlagSpecs]: FlagSpecs[string] };

/** The values of a script's flags: the shared ones and its own. */
export type LabValues<S extends ScriptFlagSpecs> = LabArguments & CamelFlagValues<S>;

/** Recipe defaults that follow other flags: the values to set, given the parsed ones and those given. */
export type ResolveDefaults<S extends ScriptFlagSpecs> = (
  values: LabValues<S>,
  given: ReadonlySet<string>,
) => Partial<LabValues<S>>;

/** A parsed command line: the values, which flags were given (camelCase), and whether --help was. */
export interface LabInvocation<S extends ScriptFlagSpecs> {
  readonly args: LabValues<S>;
  readonly given: ReadonlySet<string>;
  readonly help: boolean;
}

/** The rules between flags, each a usage error before any work. */
export const crossFlagProblem = (args: LabArguments): string | undefined => {
  if (args.maxSteps === 0) return "--max-steps: must be > 0, or -1 to train --num-train-epochs; got 0";
  if (args.maxSteps > 0) {
    const warmup = warmupProblem(args, args.maxSteps);
    if (warmup) return warmup;
  }
  if (args.outputDir.trim() === "") return "--output-dir must not be empty";
  if (args.resumeFromCheckpoint !== "" && args.overwriteOutputDir)
    return "--resume-from-checkpoint continues a run and --overwrite-output-dir starts one from scratch; give one of them";
  return undefined;
};

/**
 * Parses a trainer's argv: flag values, then the recipe defaults, then the rules between flags.
 * @example parseLabArguments(flags, ["--max-steps", "0"]) // Left("--max-steps: must be > 0, …")
 */
export const parseLabArguments = <S extends ScriptFlagSpecs>(
  specs: S,
  argv: readonly string[],
  resolveDefaults?: ResolveDefaults<S>,
): E.Either<string, LabInvocation<S>> =>
  pipe(
    parseFlags(specs, argv),
    // run_clm's --do-train/--do-eval and --dataset-name first: a recipe may follow --dataset-config
    E.chain(({ values, given, help }) =>
      pipe(
        help ? E.right({}) : resolveHfRunMode(values as unknown as LabArguments, given),
        E.map((mode) => {
          const parsed = { ...(values as unknown as LabValues<S>), ...mode };
          return { args: { ...parsed, ...resolveDefaults?.(parsed, given) }, given, help };
        }),
      ),
    ),
    E.chainFirst((inv) => {
      const problem = inv.help ? undefined : crossFlagProblem(inv.args);
      return problem === undefined ? E.right(inv) : E.left(problem);
    }),
  );

const kebab = (camel: string): string => camel.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * The given flags as argv, in the specs' order, leaving out `omit` (kebab names): what a checkpoint
 * stores and the resume hint prints. Values print so that they parse back to the same value.
 * @example givenArgv(specs, inv, new Set(["resume-from-checkpoint"])) // ["--model", "gpt2-tiny", …]
 */
export const givenArgv = <S extends ScriptFlagSpecs>(
  specs: S,
  inv: LabInvocation<S>,
  omit: ReadonlySet<string> = new Set(),
): string[] => {
  const values = inv.args as unknown as Readonly<Record<string, unknown>>;
  return Object.keys(specs).flatMap((name) => {
    const key = name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (omit.has(name) || !inv.given.has(key) || kebab(key) !== name) return [];
    const v = values[key];
    if (typeof v === "boolean") return [v ? `--${name}` : `--${name}=false`];
    return [`--${name}`, String(v)];
  });
};

const shellQuote = (arg: string): string =>
  /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;

/**
 * The command a user types to run `script` with `argv`, quoted for a POSIX shell.
 * @example commandLine("train:gpt2", ["--model", "gpt2-tiny"]) // "pnpm --filter examples train:gpt2 -- --model gpt2-tiny"
 */
export const commandLine = (script: string, argv: readonly string[]): string =>
  ["pnpm --filter examples", script, "--", ...argv.map(shellQuote)].join(" ");

/**
 * training_args.json: every value in snake_case (HF's names), and `argv`, the flags the run was given,
 * which `--resume-from-checkpoint` restores.
 */
export const trainingArgsRecord = <S extends ScriptFlagSpecs>(
  specs: S,
  inv: LabInvocation<S>,
): Record<string, unknown> => ({
  ...Object.fromEntries(
    Object.entries(inv.args).map(([k, v]) => [
      k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
      // as HF's TrainingArguments.to_dict: the token is never written
      k === "hubToken" && v !== "" ? "<HUB_TOKEN>" : v,
    ]),
  ),
  argv: givenArgv(specs, inv, RUN_CONTROL_FLAGS),
});

/** Flags about how this process starts, not about the run, and secrets: never stored, never restored. */
export const RUN_CONTROL_FLAGS: ReadonlySet<string> = new Set([
  "resume-from-checkpoint",
  "overwrite-output-dir",
  // a secret: a resumed run reads HF_TOKEN or is given it again
  "hub-token",
]);
