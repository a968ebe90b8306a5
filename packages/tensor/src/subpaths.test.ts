/**
 * The kernel-free subpaths other packages import (`@scratchgrad/tensor/random`,
 * `@scratchgrad/tensor/atomic-file`, `@scratchgrad/tensor/shape`) must stay kernel-free: their import
 * graphs (madge, the tool behind `pnpm lint:cycles`) reach no file outside their own folder (the shape
 * helpers: only their errors), so loading them never loads GPU.js.
 */
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

type MadgeResult = { obj(): Record<string, string[]> };
const madge = createRequire(import.meta.url)("madge") as (
  path: string,
  config: Record<string, unknown>,
) => Promise<MadgeResult>;

const src = fileURLToPath(new URL(".", import.meta.url));

const reachable = async (entry: string): Promise<string[]> => {
  const graph = (
    await madge(`${src}${entry}`, {
      baseDir: src,
      fileExtensions: ["ts"],
      detectiveOptions: { ts: { skipTypeImports: true } },
    })
  ).obj();
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const next of graph[file] ?? []) visit(next);
  };
  visit(entry);
  return [...seen];
};

describe("kernel-free subpath exports", () => {
  it.each([
    ["random/index.ts", "random/"],
    ["io/atomic-file.ts", "io/atomic-file"],
  ])("%s reaches only files under %s", async (entry, folder) => {
    const files = await reachable(entry);
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => !f.startsWith(folder))).toEqual([]);
  });

  it("core/shape.ts reaches only the shape errors", async () => {
    expect((await reachable("core/shape.ts")).sort()).toEqual(["core/errors.ts", "core/shape.ts"]);
  });

  it("the check would see a kernel: the main entry reaches the GPU.js backend", async () => {
    expect(await reachable("index.ts")).toContain("backends/gpujs/gpujs-backend.ts");
  });
});
