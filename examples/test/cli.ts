import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const examplesDir = fileURLToPath(new URL("..", import.meta.url));
const repoDir = fileURLToPath(new URL("../..", import.meta.url));

export interface CliResult {
  readonly code: number | null;
  /** The signal that ended the process, when one did (a shell reports SIGINT as exit status 130). */
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

const collect = (
  command: string,
  args: readonly string[],
  cwd: string,
  detached: boolean,
  interruptWhen?: (output: string) => boolean,
  env: Readonly<Record<string, string>> = {},
): Promise<CliResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, detached, env: { ...process.env, FORCE_COLOR: "0", ...env } });
    let stdout = "";
    let stderr = "";
    let sent = false;
    const check = () => {
      if (interruptWhen && !sent && interruptWhen(stdout + stderr)) {
        sent = true;
        // detached: the child leads its own process group, and Ctrl-C in a terminal signals the group
        if (detached) process.kill(-child.pid!, "SIGINT");
        else child.kill("SIGINT");
      }
    };
    child.stdout.on("data", (d) => {
      stdout += d;
      check();
    });
    child.stderr.on("data", (d) => {
      stderr += d;
      check();
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });

/**
 * Runs an example script the way a user does (`node --import tsx --conditions=source src/<script>.ts`),
 * optionally sending SIGINT to it once `interruptWhen(stdout + stderr)` holds; `env` adds to the
 * environment (HF_ENDPOINT, HF_TOKEN, HF_HOME).
 */
export const runScript = (
  script: string,
  args: readonly string[],
  interruptWhen?: (output: string) => boolean,
  env: Readonly<Record<string, string>> = {},
): Promise<CliResult> =>
  collect(
    process.execPath,
    ["--import", "tsx", "--conditions=source", `src/${script}.ts`, ...args],
    examplesDir,
    false,
    interruptWhen,
    env,
  );

/**
 * Runs the documented command `pnpm --filter examples <script> -- <args>` from the repository root in
 * its own process group, and sends SIGINT to the whole group (as Ctrl-C in a terminal does) once
 * `interruptWhen(stdout + stderr)` holds.
 */
export const runPnpmScript = (
  script: string,
  args: readonly string[],
  interruptWhen?: (output: string) => boolean,
): Promise<CliResult> =>
  collect("pnpm", ["--filter", "examples", script, "--", ...args], repoDir, true, interruptWhen);
