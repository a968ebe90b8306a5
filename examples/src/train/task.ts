import type { BertConfig, Gpt2Config } from "@scratchgrad/nn";
import type { random, Tensor } from "@scratchgrad/tensor";

/** A batch of blocks on the host: token ids and special-token flags, row-major [B, T]. */
export interface HostBatch {
  readonly ids: Int32Array;
  readonly special: Uint8Array;
  readonly batchSize: number;
  readonly blockSize: number;
}

/**
 * What the trainer needs to know of a language-modelling task: how to make parameters, and the
 * mean loss of a batch with the number of tokens it scored (so evaluation can sum NLL exactly).
 */
export interface LmTask<P> {
  readonly modelType: "gpt2" | "bert";
  /** The Hugging Face config written to config.json. */
  readonly config: Record<string, unknown>;
  readonly parameterCount: number;
  init(key: random.Key): P;
  /**
   * Mean loss over the scored tokens of `batch`, and their count. `key` drives dropout (and the
   * masked LM's masks); the same key gives the same result.
   */
  loss(
    params: P,
    batch: HostBatch,
    key: random.Key,
    training: boolean,
  ): { readonly loss: Tensor; readonly count: number };
}

/** How a from-scratch model's position embeddings start: HF's N(0, initializer_range), or sinusoids. */
export const POSITION_INITS = ["sinusoidal", "normal"] as const;
export type PositionInit = (typeof POSITION_INITS)[number];

/**
 * Which language model a run trains, with its typed config: GPT-2 as a causal LM, or BERT as a masked
 * LM (which also needs the tokenizer's [MASK] id, and may mask another share than 15%, in training or scoring). `lmTaskOf` (tasks/lm-task.ts) makes its `LmTask`.
 */
export type LmModel =
  | {
      readonly kind: "gpt2";
      readonly config: Gpt2Config;
      /** How a from-scratch model's position embeddings start; "normal" (HF's) when absent. */
      readonly positionInit?: PositionInit;
    }
  | {
      readonly kind: "bert";
      readonly config: BertConfig;
      readonly maskTokenId: number;
      /** Share of tokens masked when scoring (HF's `mlm_probability`); 0.15 when absent. */
      readonly mlmProbability?: number;
      /** Share masked in training steps; `mlmProbability` when absent. */
      readonly trainMlmProbability?: number;
      /** How a from-scratch model's position embeddings start; "normal" (HF's) when absent. */
      readonly positionInit?: PositionInit;
    };
