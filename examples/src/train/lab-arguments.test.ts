import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import * as E from "fp-ts/lib/Either.js";
import { beforeAll, describe, expect, it } from "vitest";
import type { CliOutput } from "../cli/main.js";
import { labMain } from "../lab.js";
import { gpt2Lab } from "../train-gpt2.js";
import { bertLab } from "./bert-lab.js";
import { givenArgv, parseLabArguments } from "./lab-arguments.js";

const parse = (argv: readonly string[]) => parseLabArguments(gpt2Lab.flags, argv, gpt2Lab.resolveDefaults);

const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliOutput = { out: (l) => out.push(l), err: (l) => err.push(l) };
  return { out, err, io };
};

describe("the trainers' flags, parsed once", () => {
  it.each([
    [["--max-steps", "0"], "--max-steps: must be > 0, or -1 to train --num-train-epochs; got 0"],
    [["--max-steps", "-5"], "--max-steps: must be ≥ -1, got -5"],
    [["--max-steps", "0x10"], '--max-steps: expected a number, got "0x10"'],
    [["--seed", "1e20"], '--seed: expected an integer, got "1e20"'],
    [["--seed", "4294967296"], "--seed: must be ≤ 4294967295, got 4294967296"],
    [["--threads", "1000"], "--threads: must be ≤ 256, got 1000"],
    [["--warmup-ratio", "2"], "--warmup-ratio: must be < 1, got 2"],
    [["--warmup-ratio", "1"], "--warmup-ratio: must be < 1, got 1"],
    [["--warmup-ratio", "-0.1"], "--warmup-ratio: must be ≥ 0, got -0.1"],
    [["--optim", "sgd"], '--optim: "sgd" is not one of adamw, adamw_torch, muon'],
    [
      ["--lr-scheduler-type", "polynomial"],
      '--lr-scheduler-type: "polynomial" is not one of linear, cosine, constant, constant_with_warmup',
    ],
    [["--adam-beta1", "1"], "--adam-beta1: must be < 1, got 1"],
    [["--adam-beta2", "-0.5"], "--adam-beta2: must be ≥ 0, got -0.5"],
    [["--adam-epsilon", "0"], "--adam-epsilon: must be > 0, got 0"],
    [["--muon-learning-rate", "0"], "--muon-learning-rate: must be > 0, got 0"],
    [["--muon-momentum", "1"], "--muon-momentum: must be < 1, got 1"],
    [
      ["--max-steps", "10", "--warmup-steps", "100"],
      "--warmup-steps 100 is longer than the run's 10 steps; lower it or use --warmup-ratio",
    ],
    [
      ["--resume-from-checkpoint", "latest", "--overwrite-output-dir"],
      "--resume-from-checkpoint continues a run and --overwrite-output-dir starts one from scratch; give one of them",
    ],
    [["--constructor", "1"], "unknown flag --constructor (see --help)"],
  ])("%j is refused: %s", (argv, message) => {
    expect(parse(argv)).toEqual(E.left(message));
  });

  it("takes every flag in HF's snake_case too (HfArgumentParser's two spellings), with the same values", () => {
    const snake = parse([
      ...["--learning_rate", "1e-3", "--per_device_train_batch_size=4", "--lr_scheduler_type", "cosine"],
      ...["--gradient_accumulation_steps", "2", "--logging_first_step", "--warmup_ratio", "0.1"],
    ]);
    const kebab = parse([
      ...["--learning-rate", "1e-3", "--per-device-train-batch-size=4", "--lr-scheduler-type", "cosine"],
      ...["--gradient-accumulation-steps", "2", "--logging-first-step", "--warmup-ratio", "0.1"],
    ]);
    expect(E.isRight(snake) && snake.right.args).toEqual(E.isRight(kebab) && kebab.right.args);
    expect(E.isRight(snake) && [snake.right.args.learningRate, snake.right.args.loggingFirstStep]).toEqual([
      1e-3,
      true,
    ]);
    const pasted = parse(["--overwrite_output_dir", "True", "--logging_first_step", "False"]);
    expect(
      E.isRight(pasted) && [pasted.right.args.overwriteOutputDir, pasted.right.args.loggingFirstStep],
    ).toEqual([true, false]);
    expect(parse(["--learning_rate", "fast"])).toEqual(
      E.left('--learning-rate: expected a number, got "fast"'),
    );
    expect(parse(["--learning_rates", "1"])).toEqual(E.left("unknown flag --learning_rates (see --help)"));
    expect(parse(["--__proto__", "1"])).toEqual(E.left("unknown flag --__proto__ (see --help)"));
    expect(parse(["--gradient-accumulation-steps", "0"])).toEqual(
      E.left("--gradient-accumulation-steps: must be > 0, got 0"),
    );
  });

  it("resolves the recipe from the tokenizer, and a given flag wins", () => {
    const word = parse(["--dataset-config", "wikitext-2-v1"]);
    const given = parse(["--dataset-config", "wikitext-2-v1", "--learning-rate", "5e-4"]);
    if (E.isLeft(word) || E.isLeft(given)) throw new Error("should parse");
    expect([word.right.args.tokenizer, word.right.args.model, word.right.args.learningRate]).toEqual([
      "word-level",
      "gpt2-mini-cpu",
      6e-3,
    ]);
    expect(given.right.args.learningRate).toBe(5e-4);
    const resolved = (key: "positionInit" | "muonLearningRate") => (argv: readonly string[]) => {
      const r = parse(argv);
      return E.isRight(r) ? r.right.args[key] : r.left;
    };
    const positionInit = resolved("positionInit");
    const muonLr = resolved("muonLearningRate");
    expect(positionInit(["--dataset-config", "wikitext-2-v1"])).toBe("sinusoidal");
    expect(positionInit(["--dataset-config", "wikitext-2-raw-v1"])).toBe("normal");
    expect(positionInit(["--dataset-config", "wikitext-2-v1", "--position-init", "normal"])).toBe("normal");
    expect(muonLr(["--dataset-config", "wikitext-2-v1"])).toBe(0.01);
    expect(muonLr(["--dataset-config", "wikitext-2-raw-v1"])).toBe(0.02);
    expect(muonLr(["--dataset-config", "wikitext-2-v1", "--muon-learning-rate", "0.03"])).toBe(0.03);
    expect(positionInit(["--position-init", "fixed"])).toBe(
      '--position-init: "fixed" is not one of sinusoidal, normal',
    );
  });

  it("train:bert's recipe: 40% masked in training, 15% scored; a lone --mlm-probability sets both, as HF", () => {
    const parseBert = (argv: readonly string[]) => {
      const r = parseLabArguments(bertLab.flags, argv, bertLab.resolveDefaults);
      if (E.isLeft(r)) throw new Error(r.left);
      const a = r.right.args;
      return [a.mlmProbability, a.trainMlmProbability, a.positionInit, a.learningRate, a.configOverrides];
    };
    const noDropout = "hidden_dropout_prob=0,attention_probs_dropout_prob=0";
    expect(parseBert([])).toEqual([0.15, 0.4, "sinusoidal", 5e-4, noDropout]);
    expect(parseBert(["--mlm-probability", "0.2"]).slice(0, 2)).toEqual([0.2, 0.2]);
    expect(parseBert(["--mlm-probability", "0.2", "--train-mlm-probability", "0.3"]).slice(0, 2)).toEqual([
      0.2, 0.3,
    ]);
    expect(parseBert(["--position-init", "normal", "--config-overrides", ""]).slice(2)).toEqual([
      "normal",
      5e-4,
      "",
    ]);
  });

  it("the given flags as argv parse back to the same arguments (what a checkpoint stores)", () => {
    const value = fc.oneof(
      fc.record({ name: fc.constant("learning-rate"), v: fc.double({ min: 1e-9, max: 10, noNaN: true }) }),
      fc.record({ name: fc.constant("seed"), v: fc.integer({ min: 0, max: 2 ** 32 - 1 }) }),
      fc.record({
        name: fc.constant("config-overrides"),
        v: fc.constantFrom("", "n_layer=2", "resid_pdrop=0,embd_pdrop=0"),
      }),
      fc.record({ name: fc.constant("data-dir"), v: fc.constantFrom("/d/wiki text", "/x'y") }),
      fc.record({ name: fc.constant("tokenizer"), v: fc.constantFrom("auto", "bpe", "word-level") }),
      fc.record({ name: fc.constant("optim"), v: fc.constantFrom("adamw", "adamw_torch", "muon") }),
      fc.record({
        name: fc.constant("lr-scheduler-type"),
        v: fc.constantFrom("linear", "cosine", "constant", "constant_with_warmup"),
      }),
      fc.record({ name: fc.constant("adam-beta2"), v: fc.double({ min: 0, max: 0.9999, noNaN: true }) }),
      fc.record({ name: fc.constant("muon-momentum"), v: fc.double({ min: 0, max: 0.99, noNaN: true }) }),
    );
    fc.assert(
      fc.property(fc.array(value, { maxLength: 6 }), (pairs) => {
        const argv = pairs.flatMap(({ name, v }) => [`--${name}`, String(v)]);
        const first = parse(argv);
        if (E.isLeft(first)) throw new Error(first.left);
        const again = parse(givenArgv(gpt2Lab.flags, first.right));
        expect(E.isRight(again) && again.right.args).toEqual(first.right.args);
      }),
    );
  });
});

describe("fuzz: a trainer's command line", () => {
  let busyDir = "";
  beforeAll(async () => {
    busyDir = await mkdtemp(join(tmpdir(), "sg-fuzz-"));
    await writeFile(join(busyDir, "notes.txt"), "not a run");
  });

  const names = Object.keys(gpt2Lab.flags).filter((n) => !n.includes("overwrite"));
  const specs = gpt2Lab.flags as Readonly<Record<string, { choices?: readonly string[] }>>;
  const odd = fc.constantFrom(
    "0x10",
    "1e20",
    "-5",
    "-1",
    "0",
    "",
    "=",
    "NaN",
    "Infinity",
    "latest",
    "n_head=3",
    "vocab_size=1",
    "n_positions=2",
  );
  // a value a user might type for `name`: one of its choices, a number, an odd string, anything
  const valueFor = (name: string) =>
    fc.oneof(
      fc.constantFrom(...(specs[name]?.choices ?? ["x"])),
      fc.integer({ min: -10, max: 10_000 }).map(String),
      fc.double().map(String),
      odd,
      fc.string(),
    );
  const pair = fc
    .constantFrom(...names)
    .chain((n) => fc.tuple(fc.constant(n), valueFor(n), fc.boolean()))
    .chain(([n, v, joined]) =>
      // either spelling of the name: kebab-case or HF's snake_case
      fc
        .constantFrom(n, n.replace(/-/g, "_"))
        .map((name) => (joined ? [`--${name}=${v}`] : [`--${name}`, v])),
    );
  const stray = fc
    .oneof(fc.constantFrom("--", "-h", "--help", "--__proto__", "--toString"), odd, fc.string())
    .map((t) => [t]);
  const argvArb = fc
    .array(fc.oneof({ weight: 6, arbitrary: pair }, { weight: 1, arbitrary: stray }), { maxLength: 6 })
    .map((parts) => parts.flat());

  it("never throws; exits 0 (help), or 1/2 with exactly one error line, before any work", async () => {
    await fc.assert(
      fc.asyncProperty(
        argvArb.filter((argv) => argv.every((a) => !a.includes("overwrite"))),
        async (argv) => {
          const { out, err, io } = capture();
          // a non-empty output directory last (it wins): a run that passes every check stops there
          const code = await labMain(gpt2Lab)([...argv, "--output-dir", busyDir], io);
          if (code === 0) {
            expect(err).toEqual([]);
            expect(out.join("\n")).toContain("Options:");
          } else {
            expect([1, 2]).toContain(code);
            expect(err).toHaveLength(1);
            expect(err[0]).toMatch(/^error: [^\n]+$/);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
