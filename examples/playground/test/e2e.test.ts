/**
 * The playground end to end in headless Chromium (issue 16's check): pick the WikiText files, set the
 * tiny run's flags in the form, train 20 steps of a tiny GPT-2 on the wasm backend in the page's
 * worker, see the loss fall, download every file, and find model.safetensors, the configs, the
 * tokenizer files and training_args.json byte-identical to what `train:gpt2` writes for the same flags.
 * Runs with `pnpm --filter examples test:browser` (the system Chromium: $CHROMIUM_PATH or
 * /usr/bin/chromium). PLAYGROUND_SCREENSHOT=<file.png> also saves the page after training.
 */
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runScript } from "../../test/cli.js";
import { makeWikitextDir } from "../../test/fixtures.js";
import { type OpenPlayground, openPlayground, waitForRun } from "./browser.js";
import { tinyRunFlags } from "./tiny-run.js";

// the files the trainer and the page must agree on, byte for byte
const SAME_BYTES = [
  "model.safetensors",
  "config.json",
  "generation_config.json",
  "tokenizer.json",
  "tokenizer_config.json",
  "special_tokens_map.json",
  "training_args.json",
];

let playground: OpenPlayground | undefined;
beforeAll(async () => {
  playground = await openPlayground();
});
afterAll(async () => {
  await playground?.close();
});

/** Fills the form so that the page's flags are `tinyRunFlags(dataDir, out)`. */
const fillTinyRun = async (page: Page, dataDir: string, out: string) => {
  await page.selectOption("#dataset-config", "wikitext-2-v1");
  await page.selectOption("#model", "gpt2-tiny");
  await page.selectOption("#tokenizer", "");
  const fields: Record<string, string> = {
    "#max-steps": "20",
    "#block-size": "32",
    "#batch-size": "4",
    "#learning-rate": "",
    "#vocab-size": "",
    "#max-train-samples": "",
    "#max-eval-samples": "",
    "#seed": "7",
    "#threads": "2",
    "#more-flags": `--data-dir ${dataDir} --output-dir ${out} --logging-steps 5 --backend wasm`,
  };
  for (const [selector, value] of Object.entries(fields)) await page.fill(selector, value);
  await page.selectOption("#backend", "wasm");
};

/** Clicks each download link and reads what Chromium saved. */
const downloadAll = async (page: Page): Promise<Map<string, Buffer>> => {
  const files = new Map<string, Buffer>();
  for (const link of await page.locator("#downloads a[download]").all()) {
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    files.set(download.suggestedFilename(), await readFile((await download.path())!));
  }
  return files;
};

it("trains 20 steps of a tiny GPT-2 in the page; the loss falls; the downloads equal train:gpt2's files", async () => {
  const dataDir = await makeWikitextDir();
  const out = join(await mkdtemp(join(tmpdir(), "sg-playground-e2e-")), "gpt2");
  const node = await runScript("train-gpt2", tinyRunFlags(dataDir, out));
  expect(node.code, node.stderr).toBe(0);

  const { page } = playground!;
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  expect(await page.evaluate(() => globalThis.crossOriginIsolated), "COOP/COEP headers").toBe(true);

  await page.setInputFiles("#files", [
    join(dataDir, "wiki.train.tokens"),
    join(dataDir, "wiki.valid.tokens"),
  ]);
  await page.waitForFunction(() =>
    /train: [\d,]+ rows, validation: [\d,]+ rows/.test(document.querySelector("#data-status")!.textContent!),
  );
  await fillTinyRun(page, dataDir, out);
  expect(await page.textContent("#node-command")).toBe(
    `pnpm --filter examples train:gpt2 -- ${["--dataset-config", "wikitext-2-v1", "--model", "gpt2-tiny", "--max-steps", "20", "--block-size", "32", "--per-device-train-batch-size", "4", "--per-device-eval-batch-size", "4", "--seed", "7", "--threads", "2", "--data-dir", dataDir, "--output-dir", out, "--logging-steps", "5", "--backend", "wasm"].join(" ")}`,
  );

  await page.click("#train");
  expect(await waitForRun(page, 600_000)).toBe("Done.");
  expect(errors).toEqual([]);
  expect(await page.textContent("#progress-text")).toMatch(
    /^20\/20 steps · [\d.]+ it\/s · ETA 00:00 · loss [\d.]+$/,
  );
  expect(await page.textContent("#perplexity")).toMatch(/perplexity [\d.]+/);
  if (process.env.PLAYGROUND_SCREENSHOT)
    await page.screenshot({ path: process.env.PLAYGROUND_SCREENSHOT, fullPage: true });

  const files = await downloadAll(page);
  for (const name of SAME_BYTES) {
    const written = await readFile(join(out, name));
    expect(files.get(name), `${name} downloaded`).toBeDefined();
    expect(files.get(name)!.equals(written), `${name} differs from train:gpt2's`).toBe(true);
  }
  const history = JSON.parse(files.get("trainer_state.json")!.toString("utf8")).log_history as {
    loss?: number;
    eval_loss?: number;
  }[];
  const losses = history.filter((e) => e.loss !== undefined && e.eval_loss === undefined).map((e) => e.loss!);
  expect(losses.length).toBe(4);
  expect(losses.at(-1)!).toBeLessThan(losses[0]!);

  // the model generates in the page
  await page.fill("#prompt", "the");
  await page.click("#generate");
  await page.waitForFunction(() => document.querySelector("#generated")!.textContent !== "…");
  expect((await page.textContent("#generated"))!.startsWith("the")).toBe(true);
});

it("Stop ends a run after the current step and still hands back the model it reached", async () => {
  const dataDir = await makeWikitextDir(120, 30);
  const { page } = playground!;
  await page.setInputFiles("#files", [
    join(dataDir, "wiki.train.tokens"),
    join(dataDir, "wiki.valid.tokens"),
  ]);
  await page.waitForFunction(() =>
    document.querySelector("#data-status")!.textContent!.startsWith("train: "),
  );
  await page.fill("#max-steps", "100000");
  await page.fill("#more-flags", "--logging-steps 1");
  await page.click("#train");
  await page.waitForFunction(() =>
    /^([3-9]|\d\d+)\//.test(document.querySelector("#progress-text")!.textContent!),
  );
  await page.click("#stop");
  expect(await waitForRun(page, 300_000)).toBe("Stopped (interrupted).");
  const state = JSON.parse((await downloadAll(page)).get("trainer_state.json")!.toString("utf8")) as {
    global_step: number;
  };
  expect(state.global_step).toBeGreaterThanOrEqual(3);
  expect(state.global_step).toBeLessThan(100000);
  expect(await page.isEnabled("#train")).toBe(true);
});
