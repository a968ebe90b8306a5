/**
 * The playground in a headless Chromium: a Vite dev server of it and the system Chromium driven by
 * playwright-core (never a downloaded browser). Used by the e2e test and the docs screenshot.
 */
import { existsSync } from "node:fs";
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
    server: { port: 0, host: "127.0.0.1" },
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
