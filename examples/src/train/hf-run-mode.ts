/**
 * What a pasted run_clm / run_mlm command asks for, in the lab's terms: `--do-train` / `--do-eval`
 * (which stages run) and `--dataset-name` / `--dataset-config-name` (which data). Pure: the parsed
 * flags and the set given in, the values to set or a usage error out.
 */
import * as E from "fp-ts/lib/Either.js";

/** The flags these rules read (camelCase, as parsed). */
export interface HfRunFlags {
  readonly doTrain: boolean;
  readonly doEval: boolean;
  readonly evalStrategy: string;
  readonly datasetName: string;
  readonly datasetConfigName: string;
  readonly datasetConfig: string;
  readonly trainFile: string;
}

/** The values they resolve to. */
export interface HfRunMode {
  readonly doTrain: boolean;
  readonly doEval: boolean;
  readonly evalStrategy: string;
  readonly datasetConfig: string;
}

/** The WikiText configs `--dataset-config-name` takes (`--dataset-config`'s choices). */
const WIKITEXT_CONFIGS: readonly string[] = ["wikitext-2-raw-v1", "wikitext-2-v1"];

/**
 * `--do-train` / `--do-eval`: with neither given the lab trains and evaluates, as it always has (HF
 * would do nothing). Given, only what is true runs. An `--eval-strategy` other than `no` given on the
 * command line turns evaluation on, as TrainingArguments' `__post_init__` does; without evaluation the
 * strategy is `no`, so training alone never evaluates.
 */
export const resolveStages = (
  f: HfRunFlags,
  given: ReadonlySet<string>,
): E.Either<string, Pick<HfRunMode, "doTrain" | "doEval" | "evalStrategy">> => {
  if (!given.has("doTrain") && !given.has("doEval"))
    return E.right({ doTrain: true, doEval: true, evalStrategy: f.evalStrategy });
  const doEval = f.doEval || (given.has("evalStrategy") && f.evalStrategy !== "no");
  if (!f.doTrain && !doEval)
    return E.left(
      "nothing to do: --do-train and --do-eval are both false; give --do-train, --do-eval or both",
    );
  return E.right({ doTrain: f.doTrain, doEval, evalStrategy: doEval ? f.evalStrategy : "no" });
};

/**
 * `--dataset-name wikitext --dataset-config-name wikitext-2-raw-v1` as run_clm spells them, onto
 * `--dataset-config`; any other dataset name is refused (the hub's `datasets` are not built in).
 */
export const resolveDataset = (
  f: HfRunFlags,
  given: ReadonlySet<string>,
): E.Either<string, Pick<HfRunMode, "datasetConfig">> => {
  if (f.datasetName !== "" && f.datasetName !== "wikitext")
    return E.left(
      `--dataset-name ${f.datasetName}: only wikitext is built in; pass your own text with --train-file (and --validation-file)`,
    );
  if (f.datasetName !== "" && f.trainFile !== "")
    return E.left("--dataset-name and --train-file both name the training data; give one of them");
  if (!given.has("datasetConfigName")) return E.right({ datasetConfig: f.datasetConfig });
  if (!WIKITEXT_CONFIGS.includes(f.datasetConfigName))
    return E.left(
      `--dataset-config-name: "${f.datasetConfigName}" is not one of ${WIKITEXT_CONFIGS.join(", ")}`,
    );
  if (given.has("datasetConfig") && f.datasetConfig !== f.datasetConfigName)
    return E.left(
      `--dataset-config ${f.datasetConfig} and --dataset-config-name ${f.datasetConfigName} disagree; give one of them`,
    );
  return E.right({ datasetConfig: f.datasetConfigName });
};

/**
 * Both rules: the values a run_clm-style command resolves to.
 * @example resolveHfRunMode(flags, new Set(["doTrain"])) // Right({ doTrain: true, doEval: false, evalStrategy: "no", … })
 */
export const resolveHfRunMode = (f: HfRunFlags, given: ReadonlySet<string>): E.Either<string, HfRunMode> => {
  const stages = resolveStages(f, given);
  if (E.isLeft(stages)) return stages;
  const data = resolveDataset(f, given);
  if (E.isLeft(data)) return data;
  return E.right({ ...stages.right, ...data.right });
};
