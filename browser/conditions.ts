import { defaultClientConditions } from "vite";

/**
 * A browser's export conditions, with `source` first: the workspace packages' TypeScript sources, as
 * the Node tests and tsx use them. Without `node`, each package's browser-safe entry is taken.
 */
export const browserConditions = ["source", ...defaultClientConditions];
