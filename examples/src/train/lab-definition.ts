/** What a trainer script tells the lab, and the run the lab plans from it before any work (Node-free). */
import type { Tokenizer } from "@scratchgrad/tokenizer";
import type { ConfigValue } from "../cli/config-overrides.js";
import type { LabInvocation, LabValues, ResolveDefaults, ScriptFlagSpecs } from "./lab-arguments.js";
import type { Objective } from "./lm-data.js";
import type { RunStart } from "./output-dir.js";
import type { LmModel } from "./task.js";

/** The token ids a model's config takes from its tokenizer. */
export type VocabIds = Pick<
  Tokenizer,
  "vocabSize" | "bosTokenId" | "eosTokenId" | "padTokenId" | "maskTokenId"
>;

/** What a script (train:gpt2, train:bert) tells the lab. */
export interface LabDefinition<S extends ScriptFlagSpecs> {
  readonly title: string;
  readonly script: string;
  readonly objective: Objective;
  readonly flags: S;
  /** Defaults that follow other flags (train:gpt2's recipe follows its tokenizer). */
  readonly resolveDefaults?: ResolveDefaults<S>;
  /** Trains the tokenizer on the training texts; a RangeError is a bad `--vocab-size`. */
  readonly trainTokenizer: (
    texts: readonly string[],
    args: LabValues<S>,
    given: ReadonlySet<string>,
  ) => Tokenizer;
  readonly tokenizerDescription: (t: Tokenizer) => string;
  /** The model config's keys and default values (HF's `GPT2Config()`), which `--config-overrides` may set. */
  readonly configDefaults: object;
  /** Config keys the lab sets itself (from the tokenizer or the block size), with the reason. */
  readonly reservedConfigKeys: Readonly<Record<string, string>>;
  /** The task's own options from the flags (train:bert's `--mlm-probability`), fresh or resumed. */
  readonly withTaskOptions?: (model: LmModel, args: LabValues<S>) => LmModel;
  /** The model for a preset, the tokenizer's ids and the block size, with `--config-overrides` applied. */
  readonly makeModel: (
    model: string,
    vocab: VocabIds,
    blockSize: number,
    configOverrides: Readonly<Record<string, ConfigValue>>,
  ) => LmModel;
}

/** A run, decided before any work: its arguments (restored from a checkpoint when resuming) and start. */
export interface PlannedRun<S extends ScriptFlagSpecs> {
  readonly inv: LabInvocation<S>;
  readonly start: RunStart;
  /** `--config-overrides`, parsed and checked against the model (empty when resuming). */
  readonly overrides: Readonly<Record<string, ConfigValue>>;
}

/**
 * The context length a lab's model gets: the config override `key` when given (refused below the
 * block size), else the block size, or `fullSize` for the lab's full-size model (HF's own value).
 */
export const contextLength = (
  overrides: Readonly<Record<string, ConfigValue>>,
  key: string,
  blockSize: number,
  fullSize: number,
): number => {
  const given = overrides[key] as number | undefined;
  if (given !== undefined && given < blockSize)
    throw new RangeError(`${key} ${given} is below --block-size ${blockSize}.`);
  return given ?? Math.max(blockSize, fullSize);
};
