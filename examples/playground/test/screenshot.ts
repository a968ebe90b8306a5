/**
 * The docs' screenshot of the playground after a training run (docs/images/playground.png):
 * `pnpm --filter examples playground:screenshot -- <dir with wiki.train.tokens and wiki.valid.tokens> <out.png> [files dir]`.
 * It picks the two files, trains gpt2-tiny for 300 steps on the wasm backend (word level, vocabulary
 * capped at 8192), generates from "The", saves the full page, and (given a files dir) the downloads —
 * to compare with `train:gpt2` and the flags the page shows.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { downloadAll, openPlayground, waitForRun } from "./browser.js";

const [dataDir, out, filesDir] = process.argv.slice(2).filter((a) => a !== "--");
if (!dataDir || !out) {
  process.stderr.write("usage: playground:screenshot -- <wikitext-2-v1 dir> <out.png>\n");
  process.exit(2);
}
const { page, close } = await openPlayground({ width: 1100, height: 1000 });
try {
  await page.setInputFiles("#files", [
    join(dataDir, "wiki.train.tokens"),
    join(dataDir, "wiki.valid.tokens"),
  ]);
  await page.waitForFunction(() =>
    /validation: [\d,]+ rows/.test(document.querySelector("#data-status")!.textContent!),
  );
  await page.selectOption("#dataset-config", "wikitext-2-v1");
  for (const [selector, value] of Object.entries({
    "#max-steps": "300",
    "#vocab-size": "8192",
    "#max-eval-samples": "50",
    "#threads": "2",
  }))
    await page.fill(selector, value);
  await page.click("#train");
  const status = await waitForRun(page, 1_800_000);
  if (status !== "Done.") throw new Error(`the run did not finish: ${status}`);
  await page.fill("#prompt", "The");
  await page.click("#generate");
  await page.waitForFunction(() => document.querySelector("#generated")!.textContent !== "…");
  await page.screenshot({ path: out, fullPage: true });
  if (filesDir) {
    await mkdir(filesDir, { recursive: true });
    for (const [name, bytes] of await downloadAll(page)) await writeFile(join(filesDir, name), bytes);
    process.stdout.write(`${await page.textContent("#node-command")}\nfiles in ${filesDir}\n`);
  }
  process.stdout.write(
    `${await page.textContent("#progress-text")}\n${await page.textContent("#perplexity")}\nsaved ${out}\n`,
  );
} finally {
  await close();
}
