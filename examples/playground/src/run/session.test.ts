/**
 * The playground's run is the Node trainer's: with the same flags, the same WikiText files and the wasm
 * backend on the same thread count, `train:gpt2` / `train:bert` (run as a user runs it) and `prepareRun` +
 * `trainPrepared` + `hfFiles` (what the page's worker runs) give the same model.safetensors, config,
 * tokenizer files and training_args.json, byte for byte. (The browser e2e, ../../test, checks the
 * same in Chromium.)
 */
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createWasmBackend } from "@scratchgrad/backend-wasm";
import { wikitextRows } from "@scratchgrad/datasets";
import { currentBackend, useBackend } from "@scratchgrad/tensor";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { flowCallback } from "../../../src/train/loop-events.js";
import { runScript } from "../../../test/cli.js";
import { makeWikitextDir } from "../../../test/fixtures.js";
import { SAME_BYTES, tinyRunFlags } from "../../test/tiny-run.js";
import { hfFiles } from "./hf-files.js";
import { type LabName, prepareRun, trainPrepared } from "./session.js";

describe.each([
  {
    lab: "gpt2" as LabName,
    script: "train-gpt2",
    model: "gpt2-tiny",
    files: [...SAME_BYTES, "generation_config.json"],
  },
  { lab: "bert" as LabName, script: "train-bert", model: "bert-tiny", files: SAME_BYTES },
])("$script", ({ lab, script, model, files: sameBytes }) => {
  it("20 steps in the playground's session equal 20 steps of the Node trainer, file for file", async () => {
    const dataDir = await makeWikitextDir();
    const out = join(await mkdtemp(join(tmpdir(), "sg-playground-")), lab);
    const argv = tinyRunFlags(dataDir, out, model);
    const node = await runScript(script, argv);
    expect(node.code, node.stderr).toBe(0);

    const read = async (name: string) => wikitextRows(await readFile(join(dataDir, name), "utf8"));
    const texts = { train: await read("wiki.train.tokens"), validation: await read("wiki.valid.tokens") };
    const previous = currentBackend();
    const backend = await createWasmBackend({ threads: 2 });
    useBackend(backend);
    try {
      const prepared = prepareRun(lab, argv, texts, "playground-test");
      if (E.isLeft(prepared)) throw new Error(prepared.left);
      const outcome = await trainPrepared(prepared.right, [flowCallback()]);
      expect(outcome.reason).toBe("finished");
      const files = hfFiles(prepared.right, outcome, outcome.finalEval!, {
        backend: backend.name,
        wallSeconds: 1,
        datasetConfig: "wikitext-2-v1",
      });
      if (E.isLeft(files)) throw new Error(files.left);
      for (const name of sameBytes) {
        const written = new Uint8Array(await readFile(join(out, name)));
        const blob = files.right.get(name);
        expect(blob, name).toBeDefined();
        const bytes = Buffer.from(await blob!.arrayBuffer());
        expect(bytes.equals(written), `${name} differs from ${script}'s`).toBe(true);
      }
      const losses = outcome.state.log_history.filter(
        (e) => e.loss !== undefined && e.eval_loss === undefined,
      );
      expect(losses.at(-1)!.loss!).toBeLessThan(losses[0]!.loss!);
    } finally {
      useBackend(previous);
      await backend.close();
    }
  });
});

it("refuses, rather than ignores, the flags whose work is Node's", () => {
  const texts = { train: [" a b c \n"], validation: [" a b \n"] };
  for (const [flag, value] of [
    ["--model-name-or-path", "gpt2"],
    ["--train-file", "train.txt"],
    ["--resume-from-checkpoint", "latest"],
  ] as const) {
    const prepared = prepareRun("gpt2", [flag, value], texts, "id");
    expect(E.isLeft(prepared) && prepared.left, flag).toMatch(
      new RegExp(`^${flag} .*the Node trainer does that`),
    );
  }
});
