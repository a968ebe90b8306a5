/**
 * The playground in a headless Chromium: a Vite dev server of it and the system Chromium driven by
 * playwright-core (never a downloaded browser). Used by the e2e test and the docs screenshot.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { createServer } from "vite";

/** Debian's chromium unless CHROMIUM_PATH names another. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** An open playground page, and how to close it all. */
export interface OpenPlayground {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly close: () => Promise<void>;
}

/**
 * Serves the playground and opens it in headless Chromium (downloads accepted).
 * @example const { page, close } = await openPlayground(); … await close();
 */
export const openPlayground = async (viewport = { width: 1100, height: 900 }): Promise<OpenPlayground> => {
  if (!existsSync(chromiumPath))
    throw new Error(`no Chromium at ${chromiumPath}: apt-get install chromium, or set CHROMIUM_PATH`);
  const server = await createServer({
    configFile: fileURLToPath(new URL("../vite.config.ts", import.meta.url)),
    // no file watching and no HMR: an edit anywhere in the workspace (other work goes on while the tests
    // run) would otherwise make the dev server reload the page in the middle of a run
    server: { port: 0, host: "127.0.0.1", hmr: false, watch: null },
    logLevel: "warn",
  });
  await server.listen();
  // --no-sandbox: CI containers run as root, where Chromium's sandbox refuses to start
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ["--no-sandbox"],
  });
  const context = await browser.newContext({ acceptDownloads: true, viewport });
  const page = await context.newPage();
  await page.goto(server.resolvedUrls!.local[0]!);
  return {
    page,
    context,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
};

/** Waits until the worker's run ends (its downloads appear, or an error does); returns the status line. */
export const waitForRun = async (page: Page, timeoutMs: number): Promise<string> => {
  await page.waitForSelector("#download-all, #run-status.error", { timeout: timeoutMs });
  return (await page.textContent("#run-status")) ?? "";
};

/** Clicks each download link of the results and reads what Chromium saved, by file name. */
export const downloadAll = async (page: Page): Promise<Map<string, Buffer>> => {
  const files = new Map<string, Buffer>();
  for (const link of await page.locator("#downloads a[download]").all()) {
    // generous: on a loaded machine (load 11 on 2 cores) a download event once took over 30 s
    const [download] = await Promise.all([page.waitForEvent("download", { timeout: 120_000 }), link.click()]);
    files.set(download.suggestedFilename(), await readFile((await download.path())!));
  }
  return files;
};
