/**
 * The playground in a headless Chromium: a Vite dev server of it and the system Chromium driven by
 * playwright-core (never a downloaded browser). Used by the e2e test and the docs screenshot.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { type BrowserContext, chromium, type Locator, type Page } from "playwright-core";
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

/** The bytes a download link of the page hands out, read from its blob URL inside the page. */
const linkBytes = async (page: Page, href: string): Promise<Buffer> => {
  const base64 = await page.evaluate(async (url) => {
    const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
    let binary = "";
    for (let i = 0; i < bytes.length; i += 0x8000) {
      binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    }
    return btoa(binary);
  }, href);
  return Buffer.from(base64, "base64");
};

/** Clicks a link and reads what Chromium saved; one retry, as a download event is sometimes lost under load. */
const clickDownload = async (page: Page, link: Locator): Promise<{ name: string; bytes: Buffer }> => {
  for (let attempt = 1; ; attempt++) {
    try {
      const [download] = await Promise.all([
        page.waitForEvent("download", { timeout: 60_000 }),
        link.click(),
      ]);
      return { name: download.suggestedFilename(), bytes: await readFile((await download.path())!) };
    } catch (error) {
      if (attempt === 2) throw error;
    }
  }
};

/**
 * Every file of the results by name: the bytes behind each download link (its blob URL, read in the
 * page: exactly what a download saves), and the first link really downloaded through Chromium and
 * checked against them. Clicking every link in a row made headless Chromium drop a download event
 * now and then on a loaded machine, which timed the test out though the files were right.
 */
export const downloadAll = async (page: Page): Promise<Map<string, Buffer>> => {
  const files = new Map<string, Buffer>();
  const links = await page.locator("#downloads a[download]").all();
  for (const link of links) {
    const [name, href] = [await link.getAttribute("download"), await link.getAttribute("href")];
    files.set(name!, await linkBytes(page, href!));
  }
  const saved = await clickDownload(page, links[0]!);
  if (!files.get(saved.name)?.equals(saved.bytes)) {
    throw new Error(`the downloaded ${saved.name} differs from the bytes behind its link`);
  }
  return files;
};
