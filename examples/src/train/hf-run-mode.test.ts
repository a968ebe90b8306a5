import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { evalArgv } from "../lab-eval.js";
import { gpt2Lab } from "../train-gpt2.js";
import { parseLabArguments } from "./lab-arguments.js";

const parse = (argv: readonly string[]) => parseLabArguments(gpt2Lab.flags, argv, gpt2Lab.resolveDefaults);

const stages = (argv: readonly string[]) =>
  E.map(({ args }: { args: { doTrain: boolean; doEval: boolean; evalStrategy: string } }) => ({
    doTrain: args.doTrain,
    doEval: args.doEval,
    evalStrategy: args.evalStrategy,
  }))(parse(argv));

describe("--do-train / --do-eval, booleans as HfArgumentParser reads them", () => {
  it.each([
    // neither given: the lab trains and evaluates, as before
    [[], { doTrain: true, doEval: true, evalStrategy: "epoch" }],
    // run_clm's README command, bare flags in snake_case
    [["--do_train", "--do_eval"], { doTrain: true, doEval: true, evalStrategy: "epoch" }],
    [["--do-train", "--do-eval"], { doTrain: true, doEval: true, evalStrategy: "epoch" }],
    // a value after the flag, any case, or after =
    [["--do_train", "True", "--do_eval", "false"], { doTrain: true, doEval: false, evalStrategy: "no" }],
    [["--do_train=yes", "--do_eval=0"], { doTrain: true, doEval: false, evalStrategy: "no" }],
    [["--do-train", "1", "--do-eval", "TRUE"], { doTrain: true, doEval: true, evalStrategy: "epoch" }],
    // a bare flag followed by another flag is true
    [["--do_eval", "--seed", "3"], { doTrain: false, doEval: true, evalStrategy: "epoch" }],
    [["--do_eval", "true"], { doTrain: false, doEval: true, evalStrategy: "epoch" }],
    // training alone does not evaluate, even at the end
    [["--do_train"], { doTrain: true, doEval: false, evalStrategy: "no" }],
    [["--do_train", "--do_eval", "false"], { doTrain: true, doEval: false, evalStrategy: "no" }],
    // an eval strategy given turns evaluation on, as TrainingArguments.__post_init__
    [["--do_train", "--eval_strategy", "steps"], { doTrain: true, doEval: true, evalStrategy: "steps" }],
    [["--do_train", "--eval_strategy", "no"], { doTrain: true, doEval: false, evalStrategy: "no" }],
  ])("%j → %j", (argv, expected) => {
    expect(stages(argv)).toEqual(E.right(expected));
  });

  it.each([
    [["--do_eval", "maybe"], '--do-eval: expected true or false, got "maybe"'],
    [["--do_train=2"], '--do-train: expected true or false, got "2"'],
    [
      ["--do_train", "false"],
      "nothing to do: --do-train and --do-eval are both false; give --do-train, --do-eval or both",
    ],
    [
      ["--do_train", "false", "--do_eval", "no"],
      "nothing to do: --do-train and --do-eval are both false; give --do-train, --do-eval or both",
    ],
  ])("%j is refused: %s", (argv, message) => {
    expect(parse(argv)).toEqual(E.left(message));
  });

  it("--help is shown whatever the stages say", () => {
    expect(E.map((inv: { help: boolean }) => inv.help)(parse(["--do_train", "false", "--help"]))).toEqual(
      E.right(true),
    );
  });
});

describe("--dataset-name / --dataset-config-name as run_clm spells them", () => {
  const data = (argv: readonly string[]) =>
    E.map(({ args }: { args: { datasetConfig: string; tokenizer: string } }) => [
      args.datasetConfig,
      args.tokenizer,
    ])(parse(argv));

  it("map onto --dataset-config, before the recipe that follows it", () => {
    expect(data(["--dataset_name", "wikitext", "--dataset_config_name", "wikitext-2-v1"])).toEqual(
      E.right(["wikitext-2-v1", "word-level"]),
    );
    expect(data(["--dataset_name", "wikitext", "--dataset_config_name", "wikitext-2-raw-v1"])).toEqual(
      E.right(["wikitext-2-raw-v1", "bpe"]),
    );
    expect(data(["--dataset-name", "wikitext"])).toEqual(E.right(["wikitext-2-raw-v1", "bpe"]));
    expect(data(["--dataset-config-name", "wikitext-2-v1", "--dataset-config", "wikitext-2-v1"])).toEqual(
      E.right(["wikitext-2-v1", "word-level"]),
    );
  });

  it.each([
    [
      ["--dataset_name", "openwebtext"],
      "--dataset-name openwebtext: only wikitext is built in; pass your own text with --train-file (and --validation-file)",
    ],
    [
      ["--dataset_name", "wikitext", "--dataset_config_name", "wikitext-103-raw-v1"],
      '--dataset-config-name: "wikitext-103-raw-v1" is not one of wikitext-2-raw-v1, wikitext-2-v1',
    ],
    [
      ["--dataset_config_name", "wikitext-2-v1", "--dataset_config", "wikitext-2-raw-v1"],
      "--dataset-config wikitext-2-raw-v1 and --dataset-config-name wikitext-2-v1 disagree; give one of them",
    ],
    [
      ["--dataset_name", "wikitext", "--train_file", "a.txt"],
      "--dataset-name and --train-file both name the training data; give one of them",
    ],
  ])("%j is refused: %s", (argv, message) => {
    expect(parse(argv)).toEqual(E.left(message));
  });
});

describe("--do-eval alone is the eval script's command", () => {
  const argvOf = (argv: readonly string[]) => {
    const parsed = parse(argv);
    if (E.isLeft(parsed)) throw new Error(parsed.left);
    return evalArgv(parsed.right.args, parsed.right.given);
  };

  it("passes the model (--model-name-or-path, else --output-dir) and only the flags given", () => {
    expect(
      argvOf([
        ...["--do_eval", "--model_name_or_path", "/m", "--dataset_name", "wikitext"],
        ...["--dataset_config_name", "wikitext-2-v1", "--per_device_eval_batch_size", "2", "--seed", "7"],
      ]),
    ).toEqual([
      ...["--model-dir", "/m", "--dataset-config", "wikitext-2-v1"],
      ...["--seed", "7", "--per-device-eval-batch-size", "2"],
    ]);
    expect(argvOf(["--do_eval", "--output_dir", "/runs/a", "--threads", "2"])).toEqual([
      ...["--model-dir", "/runs/a", "--threads", "2"],
    ]);
  });

  it("refuses a flag it cannot honour instead of ignoring it", () => {
    expect(() => argvOf(["--do_eval", "--train_file", "a.txt"])).toThrow(
      "--train-file needs --do-train: --do-eval alone scores a saved model on WikiText-2's validation split, as the eval script",
    );
    expect(() => argvOf(["--do_eval", "--push_to_hub"])).toThrow("--push-to-hub needs --do-train");
  });
});
