import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const examplesDir = fileURLToPath(new URL("..", import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs an example script the way a user does (`tsx --conditions=source src/<script>.ts`), optionally
 * sending SIGINT once `interruptWhen(stdout + stderr)` holds.
 */
export const runScript = (
  script: string,
  args: readonly string[],
  interruptWhen?: (output: string) => boolean,
): Promise<CliResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--conditions=source", `src/${script}.ts`, ...args],
      {
        cwd: examplesDir,
        env: { ...process.env, FORCE_COLOR: "0" },
      },
    );
    let stdout = "";
    let stderr = "";
    let sent = false;
    const check = () => {
      if (interruptWhen && !sent && interruptWhen(stdout + stderr)) {
        sent = true;
        child.kill("SIGINT");
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
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
