/**
 * The training worker: it owns the backend, the run and the trained parameters, so the page stays
 * responsive. One run at a time; `stop` ends it after the current step (the files of the parameters
 * reached are still handed back); `generate` samples from the last trained GPT-2, `fill-mask` asks the
 * last trained BERT.
 */
import { type BertParams, bert, type Gpt2Params, gpt2 } from "@scratchgrad/nn";
import * as E from "fp-ts/lib/Either.js";
import { fillMask } from "../../src/generation/fill-mask.js";
import { generateTokens } from "../../src/generation/generate.js";
import { commandLine, givenArgv, RUN_CONTROL_FLAGS } from "../../src/train/lab-arguments.js";
import { flowCallback, interruptCallback, type TrainerCallback } from "../../src/train/loop-events.js";
import { evaluate, runKeys } from "../../src/train/trainer.js";
import { type ActiveBackend, activateBackend } from "./backend.js";
import type { FromWorker, ToWorker } from "./protocol.js";
import { hfFiles } from "./run/hf-files.js";
import { type PreparedRun, prepareRun, trainPrepared } from "./run/session.js";

const post = (message: FromWorker, transfer: Transferable[] = []) =>
  (self as unknown as Worker).postMessage(message, transfer);

let active: ActiveBackend | undefined;
let trained: { run: PreparedRun; params: unknown } | undefined;
let stopRequested = false;

/** Posts each step and evaluation to the page (the progress bar and the loss chart). */
const pageCallback = (): TrainerCallback => ({
  onStepEnd: ({ totalSteps, startStep }, s) => {
    if (s.finite)
      post({
        type: "step",
        step: s.step,
        total: totalSteps,
        loss: s.loss,
        learningRate: s.learningRate,
        epoch: s.epoch,
        stepsThisRun: s.step - startStep,
        trainSeconds: s.trainSeconds,
      });
    return undefined;
  },
  onEvaluate: ({ state }, report) =>
    post({ type: "eval", step: state.global_step, loss: report.evalLoss, perplexity: report.perplexity }),
});

const trainRun = async (m: Extract<ToWorker, { type: "train" }>): Promise<void> => {
  const wall0 = performance.now();
  stopRequested = false;
  // the backend first: the parameters are made on it
  await active?.close();
  active = undefined;
  trained = undefined;
  active = await activateBackend(m.backend, m.threads);
  post({ type: "status", text: "Training the tokenizer and grouping the text…" });
  const prepared = prepareRun(m.lab, m.argv, m.texts, crypto.randomUUID());
  if (E.isLeft(prepared)) throw new Error(prepared.left);
  const run = prepared.right;
  post({
    type: "prepared",
    summary: {
      model: run.model.kind === "gpt2" ? "GPT-2" : "BERT",
      backend: active.backend.name,
      parameters: run.task.parameterCount,
      vocabSize: run.tokenizer.vocabSize,
      tokenizer: run.lab.tokenizerDescription(run.tokenizer),
      trainBlocks: run.data.train.numBlocks,
      validationBlocks: run.data.validation.numBlocks,
      totalSteps: run.totalSteps,
      stepsPerEpoch: run.stepsPerEpoch,
      command: commandLine(run.lab.script, givenArgv(run.lab.flags, run.inv, RUN_CONTROL_FLAGS)),
    },
  });
  const outcome = await trainPrepared(run, [
    flowCallback(),
    interruptCallback(() => stopRequested),
    pageCallback(),
  ]);
  trained = { run, params: outcome.params };
  post({ type: "status", text: "Evaluating…" });
  const evaluation =
    outcome.finalEval ??
    evaluate(
      run.task,
      outcome.params,
      run.data,
      run.inv.args.perDeviceEvalBatchSize,
      runKeys(run.inv.args.seed).evaluation,
    );
  const files = hfFiles(run, outcome, evaluation, {
    backend: active.backend.name,
    wallSeconds: (performance.now() - wall0) / 1000,
    datasetConfig: m.datasetConfig,
  });
  if (E.isLeft(files)) throw new Error(files.left);
  post({
    type: "done",
    reason: outcome.reason,
    evalLoss: evaluation.evalLoss,
    perplexity: evaluation.perplexity,
    wordPerplexity: evaluation.wordPerplexity,
    files: [...files.right],
  });
};

const generate = (m: Extract<ToWorker, { type: "generate" }>): void => {
  if (trained?.run.model.kind !== "gpt2") throw new Error("train a GPT-2 first");
  const { tokenizer, model } = trained.run;
  const eos = tokenizer.eosTokenId;
  // as the generate CLI: the prompt without special tokens; an empty prompt starts from <eos>
  const encoded = tokenizer.encode(m.prompt, { addSpecialTokens: false }).ids;
  const promptIds = encoded.length > 0 ? encoded : eos !== undefined ? [eos] : [];
  const g = generateTokens(gpt2(model.config), trained.params as Gpt2Params, promptIds, {
    maxNewTokens: m.maxNewTokens,
    doSample: m.doSample,
    temperature: m.temperature,
    topK: m.topK,
    topP: 1,
    seed: m.seed,
    numReturnSequences: 1,
    eosTokenId: eos,
  });
  const promptText = tokenizer.decode(promptIds, { skipSpecialTokens: true });
  const text =
    m.prompt +
    tokenizer
      .decode([...promptIds, ...g.sequences[0]!], { skipSpecialTokens: true })
      .slice(promptText.length);
  post({ type: "generated", text, tokensPerSecond: g.sequences[0]!.length / Math.max(g.seconds, 1e-9) });
};

const fill = (m: Extract<ToWorker, { type: "fill-mask" }>): void => {
  if (trained?.run.model.kind !== "bert") throw new Error("train a BERT first");
  const predictions = fillMask(
    bert(trained.run.model.config),
    trained.params as BertParams,
    trained.run.tokenizer,
    m.text,
    m.topK,
  );
  post({
    type: "filled",
    masks: predictions.map((p) =>
      p.candidates.map((c) => ({ token: c.tokenStr, score: c.score, sequence: c.sequence })),
    ),
  });
};

self.onmessage = async (event: MessageEvent<ToWorker>) => {
  const m = event.data;
  try {
    if (m.type === "stop") stopRequested = true;
    else if (m.type === "train") await trainRun(m);
    else if (m.type === "generate") generate(m);
    else fill(m);
  } catch (e) {
    post({ type: "error", message: e instanceof Error ? e.message : String(e) });
  }
};
