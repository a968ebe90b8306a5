/**
 * The page: data in, a run out. It reads the form into train:gpt2's flags, hands them with the
 * WikiText rows to the training worker, and draws what the worker reports (progress, loss chart,
 * perplexity, downloads, generations). All the work happens in the worker.
 */
import type { WikitextConfig } from "@scratchgrad/datasets";
import * as E from "fp-ts/lib/Either.js";
import { commandLine } from "../../src/train/lab-arguments.js";
import { lossChart } from "./loss-chart.js";
import { progressText } from "./progress-text.js";
import type { FromWorker, PlaygroundBackend, ToWorker } from "./protocol.js";
import type { LabName } from "./run/session.js";
import { runFlags } from "./run-flags.js";
import { type RunSplit, rowsFromHub, rowsOfFile, splitOfFileName } from "./wikitext-source.js";

const $ = <T extends HTMLElement = HTMLInputElement>(id: string) => document.getElementById(id) as T;
const value = (id: string) => $<HTMLInputElement | HTMLSelectElement>(id).value;

const texts: Partial<Record<RunSplit, string[]>> = {};
const chart = lossChart($("chart"));
const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
const send = (m: ToWorker) => worker.postMessage(m);

const defaultThreads = Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 8));
$("threads").placeholder = String(defaultThreads);

/** The presets each architecture offers (the trainers' small ones; the full-size models via More flags). */
const PRESETS: Record<LabName, readonly [string, string][]> = {
  gpt2: [
    ["gpt2-tiny", "gpt2-tiny (2 layers, width 128)"],
    ["gpt2-mini-cpu", "gpt2-mini-cpu"],
    ["gpt2-small-cpu", "gpt2-small-cpu (4 layers, width 256)"],
  ],
  bert: [
    ["bert-tiny", "bert-tiny"],
    ["bert-small-cpu", "bert-small-cpu"],
  ],
};
const lab = () => value("lab") as LabName;

/** Model presets, the tokenizer choice (train:gpt2 only) and the "try it" row follow the architecture. */
const showLab = () => {
  $("model").replaceChildren(
    ...PRESETS[lab()].map(([v, label]) =>
      Object.assign(document.createElement("option"), { value: v, textContent: label }),
    ),
  );
  const tokenizer = $<HTMLSelectElement>("tokenizer");
  tokenizer.disabled = lab() === "bert";
  if (tokenizer.disabled) tokenizer.value = "";
  $("generate-row").hidden = lab() !== "gpt2";
  $("fill-mask-row").hidden = lab() !== "bert";
};
$("lab").addEventListener("change", showLab);
showLab();

const flags = () =>
  runFlags({
    datasetConfig: value("dataset-config"),
    model: value("model"),
    tokenizer: value("tokenizer"),
    maxSteps: value("max-steps"),
    blockSize: value("block-size"),
    batchSize: value("batch-size"),
    learningRate: value("learning-rate"),
    vocabSize: value("vocab-size"),
    maxTrainSamples: value("max-train-samples"),
    maxEvalSamples: value("max-eval-samples"),
    seed: value("seed"),
    threads: value("threads") || String(defaultThreads),
    moreFlags: value("more-flags"),
  });

const showCommand = () => {
  $("node-command").textContent = commandLine(`train:${lab()}`, flags());
};
for (const el of document.querySelectorAll("#run input, #run select, #dataset-config"))
  el.addEventListener("input", showCommand);
showCommand();

const setStatus = (id: string, text: string, error = false) => {
  const el = $(id);
  el.textContent = text;
  el.classList.toggle("error", error);
};

const showData = () => {
  const n = (s: RunSplit) => (texts[s] ? `${texts[s]!.length.toLocaleString("en-US")} rows` : "missing");
  setStatus("data-status", `train: ${n("train")}, validation: ${n("validation")}`);
  $<HTMLButtonElement>("train").disabled = !(texts.train && texts.validation);
};

$("files").addEventListener("change", async () => {
  for (const file of $("files").files ?? []) {
    const split = splitOfFileName(file.name);
    if (split === "test") continue;
    if (!split) {
      setStatus(
        "data-status",
        `${file.name}: name it as WikiText does (wiki.train.*, wiki.valid.*, train-*.parquet)`,
        true,
      );
      return;
    }
    const rows = await rowsOfFile(file);
    if (E.isLeft(rows)) return setStatus("data-status", rows.left, true);
    texts[split] = rows.right;
  }
  showData();
});

$("load-hub").addEventListener("click", async () => {
  setStatus("data-status", "Downloading from the Hugging Face hub…");
  for (const split of ["train", "validation"] as const) {
    const rows = await rowsFromHub(value("dataset-config") as WikitextConfig, split);
    if (E.isLeft(rows)) return setStatus("data-status", rows.left, true);
    texts[split] = rows.right;
  }
  showData();
});

$("train").addEventListener("click", () => {
  chart.clear();
  $("downloads").replaceChildren();
  setStatus("perplexity", "");
  setStatus("progress-text", "");
  $<HTMLProgressElement>("progress").value = 0;
  $<HTMLButtonElement>("train").disabled = true;
  $<HTMLButtonElement>("stop").disabled = false;
  send({
    type: "train",
    lab: lab(),
    argv: flags(),
    texts: { train: texts.train!, validation: texts.validation! },
    backend: value("backend") as PlaygroundBackend,
    threads: Number(value("threads") || defaultThreads),
    datasetConfig: value("dataset-config"),
  });
});
$("stop").addEventListener("click", () => send({ type: "stop" }));
$("fill-mask").addEventListener("click", () => {
  $("generated").textContent = "…";
  send({ type: "fill-mask", text: value("mask-text"), topK: 5 });
});
$("generate").addEventListener("click", () => {
  $("generated").textContent = "…";
  send({
    type: "generate",
    prompt: value("prompt"),
    maxNewTokens: Number(value("max-new-tokens")),
    doSample: $("do-sample").checked,
    temperature: Number(value("temperature")),
    topK: 0,
    seed: Number(value("seed")),
  });
});

const showDownloads = (files: readonly (readonly [string, Blob])[]) => {
  const links = files.map(([name, blob]) => {
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    a.textContent = `${name} (${(blob.size / 1024).toFixed(1)} KiB)`;
    return a;
  });
  const all = document.createElement("button");
  all.id = "download-all";
  all.textContent = "Download all";
  all.onclick = () => {
    for (const a of links) a.click();
  };
  $("downloads").replaceChildren(all, document.createElement("br"), ...links);
};

const onMessage = (m: FromWorker) => {
  switch (m.type) {
    case "status":
      return setStatus("run-status", m.text);
    case "prepared":
      $<HTMLProgressElement>("progress").max = m.summary.totalSteps;
      return setStatus(
        "run-status",
        `${m.summary.model}, ${(m.summary.parameters / 1e6).toFixed(2)}M parameters; ${m.summary.tokenizer}; ${m.summary.trainBlocks} training blocks, ${m.summary.validationBlocks} validation blocks; ${m.summary.totalSteps} steps on ${m.summary.backend}`,
      );
    case "step":
      $<HTMLProgressElement>("progress").value = m.step;
      setStatus("progress-text", progressText(m));
      return chart.addTrain(m.step, m.loss);
    case "eval":
      return chart.addEval(m.step, m.loss);
    case "done":
      $<HTMLButtonElement>("train").disabled = false;
      $<HTMLButtonElement>("stop").disabled = true;
      $<HTMLButtonElement>("generate").disabled = false;
      $<HTMLButtonElement>("fill-mask").disabled = false;
      setStatus("run-status", m.reason === "finished" ? "Done." : `Stopped (${m.reason}).`);
      setStatus(
        "perplexity",
        `Validation loss ${m.evalLoss.toFixed(4)} · perplexity ${m.perplexity.toFixed(2)} · word-level perplexity ${m.wordPerplexity.toFixed(2)}`,
      );
      return showDownloads(m.files);
    case "filled":
      $("generated").textContent = m.masks
        .map((candidates) =>
          candidates.map((c) => `${c.score.toFixed(3)}  ${c.token.padEnd(14)} ${c.sequence}`).join("\n"),
        )
        .join("\n\n");
      return;
    case "generated":
      $("generated").textContent = m.text;
      return setStatus("run-status", `Generated at ${m.tokensPerSecond.toFixed(1)} tokens/s.`);
    case "error":
      $<HTMLButtonElement>("train").disabled = !(texts.train && texts.validation);
      $<HTMLButtonElement>("stop").disabled = true;
      return setStatus("run-status", `error: ${m.message}`, true);
  }
};
worker.onmessage = (event: MessageEvent<FromWorker>) => onMessage(event.data);
worker.onerror = (event) => setStatus("run-status", `error: ${event.message}`, true);
