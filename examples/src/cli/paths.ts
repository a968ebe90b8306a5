import { resolve } from "node:path";

/**
 * Resolves a path the user typed against the directory they typed it in. `pnpm --filter examples …`
 * runs scripts inside examples/, but sets INIT_CWD to where the command was given, so
 * `--data-dir ../shared/data/…` means the same as it would in a plain shell there.
 */
export const userPath = (path: string): string => resolve(process.env.INIT_CWD ?? process.cwd(), path);
