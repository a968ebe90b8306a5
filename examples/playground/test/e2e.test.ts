/**
 * The playground end to end in headless Chromium (issue 16's check): pick the WikiText files, set the
 * tiny run's flags in the form, train 20 steps of a tiny GPT-2 (and of a tiny BERT) on the wasm backend
 * in the page's worker, see the loss fall, download every file, find model.safetensors, the configs,
 * the tokenizer files and training_args.json byte-identical to what `train:gpt2` (`train:bert`) writes
 * for the same flags, then generate (fill a mask) in the page.
 * Runs with `pnpm --filter examples test:browser` (the system Chromium: $CHROMIUM_PATH or
 * /usr/bin/chromium).
 */
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScript } from "../../test/cli.js";
import { makeWikitextDir } from "../../test/fixtures.js";
import { downloadAll, type OpenPlayground, openPlayground, waitForRun } from "./browser.js";
import { SAME_BYTES, tinyRunFlags } from "./tiny-run.js";

let playground: OpenPlayground | undefined;
beforeAll(async () => {
  playground = await openPlayground();
});
afterAll(async () => {
  await playground?.close();
});

/** Fills the form so that the page's flags are `tinyRunFlags(dataDir, out, model)`. */
const fillTinyRun = async (page: Page, lab: string, model: string, dataDir: string, out: string) => {
  await page.selectOption("#dataset-config", "wikitext-2-v1");
  await page.selectOption("#lab", lab);
  await page.selectOption("#model", model);
  if (lab === "gpt2") await page.selectOption("#tokenizer", "");
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

/** What the page must show after "try it" for each architecture. */
const tryIt = {
  gpt2: async (page: Page) => {
    expect(await page.isVisible("#fill-mask-row")).toBe(false);
    await page.fill("#prompt", "the");
    await page.click("#generate");
    await page.waitForFunction(() => document.querySelector("#generated")!.textContent !== "…");
    expect((await page.textContent("#generated"))!.startsWith("the")).toBe(true);
  },
  bert: async (page: Page) => {
    expect(await page.isVisible("#generate-row")).toBe(false);
    await page.fill("#mask-text", "the [MASK] was built in 1850 .");
    await page.click("#fill-mask");
    await page.waitForFunction(() => document.querySelector("#generated")!.textContent !== "…");
    // five candidates: score, token, the sentence with it
    expect((await page.textContent("#generated"))!.split("\n")).toHaveLength(5);
    expect(await page.textContent("#generated")).toMatch(/^0\.\d{3} {2}\S+ +.*was built in 1850/);
  },
};

describe.each([
  { lab: "gpt2" as const, model: "gpt2-tiny", files: [...SAME_BYTES, "generation_config.json"] },
  { lab: "bert" as const, model: "bert-tiny", files: SAME_BYTES },
])("train:$lab in the page", ({ lab, model, files: sameBytes }) => {
  it("trains 20 steps of a tiny model; the loss falls; the downloads equal the Node trainer's files", async () => {
    const dataDir = await makeWikitextDir();
    const out = join(await mkdtemp(join(tmpdir(), "sg-playground-e2e-")), lab);
    const node = await runScript(`train-${lab}`, tinyRunFlags(dataDir, out, model));
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
      /train: [\d,]+ rows, validation: [\d,]+ rows/.test(
        document.querySelector("#data-status")!.textContent!,
      ),
    );
    await fillTinyRun(page, lab, model, dataDir, out);
    const flags = [
      "--dataset-config",
      "wikitext-2-v1",
      "--model",
      model,
      "--max-steps",
      "20",
      "--block-size",
      "32",
    ];
    const rest = [
      "--per-device-train-batch-size",
      "4",
      "--per-device-eval-batch-size",
      "4",
      "--seed",
      "7",
      "--threads",
      "2",
    ];
    const more = ["--data-dir", dataDir, "--output-dir", out, "--logging-steps", "5", "--backend", "wasm"];
    expect(await page.textContent("#node-command")).toBe(
      `pnpm --filter examples train:${lab} -- ${[...flags, ...rest, ...more].join(" ")}`,
    );

    await page.click("#train");
    expect(await waitForRun(page, 600_000)).toBe("Done.");
    expect(errors).toEqual([]);
    expect(await page.textContent("#progress-text")).toMatch(
      /^20\/20 steps · [\d.]+ it\/s · ETA 00:00 · loss [\d.]+$/,
    );
    expect(await page.textContent("#perplexity")).toMatch(/perplexity [\d.]+/);

    const files = await downloadAll(page);
    for (const name of sameBytes) {
      const written = await readFile(join(out, name));
      expect(files.get(name), `${name} downloaded`).toBeDefined();
      expect(files.get(name)!.equals(written), `${name} differs from train:${lab}'s`).toBe(true);
    }
    const history = JSON.parse(files.get("trainer_state.json")!.toString("utf8")).log_history as {
      loss?: number;
      eval_loss?: number;
    }[];
    const losses = history
      .filter((e) => e.loss !== undefined && e.eval_loss === undefined)
      .map((e) => e.loss!);
    expect(losses.length).toBe(4);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    await tryIt[lab](page);
  });
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
