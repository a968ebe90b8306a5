/**
 * The shell around a command-line tool: each CLI exports `main(argv, output)` returning an exit code,
 * so tests run it in-process with captured output, and runs it for real only when it is the script
 * node (or tsx) was started with.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import * as E from "fp-ts/lib/Either.js";
import { type FlagSpecs, type FlagValues, parseFlags } from "./flags.js";

/** Where a CLI writes: results to `out` (stdout), progress and errors to `err` (stderr). */
export interface CliOutput {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** A CLI's entry point: parses `argv` (without node and the script), does the work, returns the exit code. */
export type CliMain = (argv: readonly string[], output?: CliOutput) => Promise<number>;

/** stdout and stderr, one line per call. */
export const processOutput: CliOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Exit codes: 1 for a failure while working (missing files, bad checkpoint), 2 for bad usage. */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/**
 * An error meant for the user: its message is printed as `error: …` without a stack trace.
 * @example throw new UserError("no [MASK] in --text; add one", EXIT_USAGE)
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILURE,
  ) {
    super(message);
  }
}

/**
 * Runs `body`, turning a `UserError` into its message and exit code. Other errors are bugs and keep
 * their stack.
 */
export const reportErrors = async (output: CliOutput, body: () => Promise<number>): Promise<number> => {
  try {
    return await body();
  } catch (e) {
    if (e instanceof UserError) {
      output.err(`error: ${e.message}`);
      return e.exitCode;
    }
    throw e;
  }
};

/** Whether the module at `moduleUrl` is the script this process was started with. */
export const isEntryPoint = (moduleUrl: string): boolean =>
  process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === moduleUrl;

/**
 * Runs `main` with the process's arguments when `moduleUrl` is the entry script, and sets the exit code.
 * @example runIfEntryPoint(import.meta.url, main);
 */
export const runIfEntryPoint = (moduleUrl: string, main: CliMain): void => {
  if (!isEntryPoint(moduleUrl)) return;
  main(process.argv.slice(2), processOutput).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = EXIT_FAILURE;
    },
  );
};

/** `"max-new-tokens"` → `"maxNewTokens"`, at the type level. */
type Camel<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<Camel<Tail>>}`
  : S;

/** Flag values keyed in camelCase, as `parseFlags` returns them at run time. */
export type CamelFlagValues<S extends FlagSpecs> = {
  -readonly [K in keyof S & string as Camel<K>]: FlagValues<S>[K];
};

/** Parsed flags with camelCase keys, and whether `--help` was asked for. */
export interface CliFlags<S extends FlagSpecs> {
  readonly values: CamelFlagValues<S>;
  readonly given: ReadonlySet<string>;
  readonly help: boolean;
}

/**
 * `parseFlags` with its values typed by their camelCase keys; a bad flag throws a usage `UserError`.
 * @example const { values } = parseCliFlags(specs, ["--max-new-tokens", "20"]); values.maxNewTokens // 20
 */
export const parseCliFlags = <S extends FlagSpecs>(specs: S, argv: readonly string[]): CliFlags<S> => {
  const parsed = parseFlags(specs, argv);
  if (E.isLeft(parsed)) throw new UserError(parsed.left, EXIT_USAGE);
  return parsed.right as unknown as CliFlags<S>;
};
