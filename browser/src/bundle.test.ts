/**
 * Every library package bundles for a browser: a Vite production build of an entry that imports all
 * seven with a browser's export conditions must not reach a Node built-in module. Vite would otherwise
 * swap such a module for an empty stand-in that throws only when called, in the user's browser.
 */
import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "vite";
import { expect, it } from "vitest";
import { browserConditions } from "../conditions.js";

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Records each Node built-in the bundle imports, and by whom (keeping it external so the build goes on). */
const nodeImports = (found: string[]): Plugin => ({
  name: "record-node-imports",
  enforce: "pre",
  resolveId(id, importer) {
    if (!builtins.has(id) && !id.startsWith("node:")) return null;
    found.push(`${id} (imported by ${importer})`);
    return { id, external: true };
  },
});

it("all seven packages bundle for the browser without a Node built-in", async () => {
  const found: string[] = [];
  const entry = fileURLToPath(new URL("../bundle-check/entry.ts", import.meta.url));
  const output = await build({
    configFile: false,
    logLevel: "silent",
    resolve: { conditions: browserConditions },
    plugins: [nodeImports(found)],
    worker: { format: "es" },
    build: {
      write: false,
      target: "es2022",
      rollupOptions: { input: entry, preserveEntrySignatures: "exports-only" },
    },
  });
  expect(found).toEqual([]);
  const chunks = (Array.isArray(output) ? output : [output]).flatMap((o) => ("output" in o ? o.output : []));
  const names = chunks.map((c) => c.fileName);
  // the kernels and the pool worker travel with the bundle as assets/chunks of their own
  expect(names.some((n) => /kernels-relaxed.*\.wasm$/.test(n))).toBe(true);
  expect(names.some((n) => /pool-worker-browser.*\.js$/.test(n))).toBe(true);
});
