/**
 * BERT's configuration with Hugging Face's `BertConfig` keys and defaults, so `config.json` files load
 * unchanged, plus the presets we train.
 */
import * as E from "fp-ts/lib/Either.js";
import type { Activation } from "../../layers/mlp.js";
import type { InvalidConfig } from "../gpt2/config.js";

/** Hugging Face `BertConfig`. */
export interface BertConfig {
  readonly vocab_size: number; // 28996 for bert-base-cased's WordPiece vocabulary
  readonly hidden_size: number; // width C
  readonly num_hidden_layers: number;
  readonly num_attention_heads: number; // divides hidden_size
  readonly intermediate_size: number; // feed-forward width
  readonly hidden_act: Activation; // "gelu" = exact erf GELU
  readonly hidden_dropout_prob: number; // dropout on embeddings and residual branches
  readonly attention_probs_dropout_prob: number;
  readonly max_position_embeddings: number;
  readonly type_vocab_size: number; // segment (token type) embeddings
  readonly initializer_range: number;
  readonly layer_norm_eps: number;
  readonly pad_token_id: number; // its word embedding row starts at zero (padding_idx)
  readonly position_embedding_type: "absolute";
  readonly use_cache: boolean;
  readonly classifier_dropout: number | null;
}

/** HF's `BertConfig()` defaults (bert-base-uncased's shape). */
export const BERT_DEFAULTS: BertConfig = {
  vocab_size: 30522,
  hidden_size: 768,
  num_hidden_layers: 12,
  num_attention_heads: 12,
  intermediate_size: 3072,
  hidden_act: "gelu",
  hidden_dropout_prob: 0.1,
  attention_probs_dropout_prob: 0.1,
  max_position_embeddings: 512,
  type_vocab_size: 2,
  initializer_range: 0.02,
  layer_norm_eps: 1e-12,
  pad_token_id: 0,
  position_embedding_type: "absolute",
  use_cache: true,
  classifier_dropout: null,
};

/** BERT presets: HF's `bert-base-cased` and two sizes that train on a laptop CPU. */
export const BERT_PRESETS = {
  "bert-base-cased": { vocab_size: 28996 },
  /** 2 layers, width 128, 4 heads, feed-forward 512. */
  "bert-tiny": {
    vocab_size: 28996,
    num_hidden_layers: 2,
    hidden_size: 128,
    num_attention_heads: 4,
    intermediate_size: 512,
    max_position_embeddings: 256,
  },
  /** 4 layers, width 256, 4 heads, feed-forward 1024. */
  "bert-small-cpu": {
    vocab_size: 28996,
    num_hidden_layers: 4,
    hidden_size: 256,
    num_attention_heads: 4,
    intermediate_size: 1024,
    max_position_embeddings: 512,
  },
} as const satisfies Record<string, Partial<BertConfig>>;

/** A BERT preset name. @example bertConfig("bert-tiny") */
export type BertPreset = keyof typeof BERT_PRESETS;

const positiveInts = [
  "vocab_size",
  "hidden_size",
  "num_hidden_layers",
  "num_attention_heads",
  "intermediate_size",
  "max_position_embeddings",
  "type_vocab_size",
] as const;
const activations: readonly string[] = ["gelu", "gelu_new", "gelu_pytorch_tanh", "relu"];

/**
 * Checks a configuration: positive sizes, heads dividing the width, dropouts in [0, 1), a known
 * activation, absolute positions, pad_token_id inside the vocabulary.
 * @example validateBertConfig({ ...BERT_DEFAULTS, hidden_act: "swish" }) // Left
 */
export const validateBertConfig = (c: BertConfig): E.Either<InvalidConfig, BertConfig> => {
  const bad = (message: string) =>
    E.left<InvalidConfig>({ _tag: "InvalidConfig", message: `BERT config: ${message}` });
  for (const k of positiveInts) {
    if (!Number.isInteger(c[k]) || c[k] <= 0) return bad(`${k} must be a positive integer, got ${c[k]}.`);
  }
  if (c.hidden_size % c.num_attention_heads !== 0) {
    return bad(
      `hidden_size ${c.hidden_size} is not divisible by num_attention_heads ${c.num_attention_heads}.`,
    );
  }
  for (const k of ["hidden_dropout_prob", "attention_probs_dropout_prob"] as const) {
    if (!(c[k] >= 0 && c[k] < 1)) return bad(`${k} must be in [0, 1), got ${c[k]}.`);
  }
  if (!activations.includes(c.hidden_act)) {
    return bad(`hidden_act "${c.hidden_act}" is not supported; use one of ${activations.join(", ")}.`);
  }
  if (c.position_embedding_type !== "absolute") {
    return bad(`position_embedding_type "${c.position_embedding_type}" is not supported; use "absolute".`);
  }
  if (!Number.isInteger(c.pad_token_id) || c.pad_token_id < 0 || c.pad_token_id >= c.vocab_size) {
    return bad(`pad_token_id ${c.pad_token_id} is outside the vocabulary [0, ${c.vocab_size}).`);
  }
  return E.right(c);
};

/**
 * A preset with overrides. Throws on an invalid result; use `validateBertConfig` for an Either.
 * @example const config = bertConfig("bert-tiny", { vocab_size: 8000, max_position_embeddings: 128 });
 */
export const bertConfig = (
  preset: BertPreset = "bert-base-cased",
  overrides: Partial<BertConfig> = {},
): BertConfig => {
  const config = { ...BERT_DEFAULTS, ...BERT_PRESETS[preset], ...overrides };
  const checked = validateBertConfig(config);
  if (E.isLeft(checked)) throw new Error(checked.left.message);
  return config;
};
