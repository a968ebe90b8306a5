/**
 * GPT-2's configuration with Hugging Face's `GPT2Config` keys and defaults, so `config.json` files load
 * unchanged, plus the presets we train.
 */
import * as E from "fp-ts/lib/Either.js";
import type { Activation } from "../../layers/mlp.js";

/** Hugging Face `GPT2Config` (the keys the architecture reads, plus those HF writes to config.json). */
export interface Gpt2Config {
  readonly vocab_size: number; // tokens in the vocabulary (50257 for GPT-2's BPE)
  readonly n_positions: number; // longest sequence (learned position embeddings)
  readonly n_embd: number; // width C
  readonly n_layer: number; // transformer blocks
  readonly n_head: number; // attention heads (divides n_embd)
  readonly n_inner: number | null; // MLP width; null means 4·n_embd
  readonly activation_function: Activation; // "gelu_new" = tanh GELU
  readonly resid_pdrop: number; // dropout after each residual branch
  readonly embd_pdrop: number; // dropout on the summed embeddings
  readonly attn_pdrop: number; // dropout on the attention weights
  readonly layer_norm_epsilon: number;
  readonly initializer_range: number; // std of the normal init
  readonly bos_token_id: number;
  readonly eos_token_id: number;
  readonly scale_attn_weights: boolean; // divide scores by √d_head (always true here)
  readonly scale_attn_by_inverse_layer_idx: boolean; // unsupported (must be false)
  readonly reorder_and_upcast_attn: boolean; // numerics-only option; ignored
  readonly summary_type: string; // the next five serve HF's double-heads model; kept for config.json
  readonly summary_use_proj: boolean;
  readonly summary_activation: string | null;
  readonly summary_proj_to_labels: boolean;
  readonly summary_first_dropout: number;
  readonly use_cache: boolean;
}

/** HF's `GPT2Config()` defaults: the 124M `gpt2` model. */
export const GPT2_DEFAULTS: Gpt2Config = {
  vocab_size: 50257,
  n_positions: 1024,
  n_embd: 768,
  n_layer: 12,
  n_head: 12,
  n_inner: null,
  activation_function: "gelu_new",
  resid_pdrop: 0.1,
  embd_pdrop: 0.1,
  attn_pdrop: 0.1,
  layer_norm_epsilon: 1e-5,
  initializer_range: 0.02,
  bos_token_id: 50256,
  eos_token_id: 50256,
  scale_attn_weights: true,
  scale_attn_by_inverse_layer_idx: false,
  reorder_and_upcast_attn: false,
  summary_type: "cls_index",
  summary_use_proj: true,
  summary_activation: null,
  summary_proj_to_labels: true,
  summary_first_dropout: 0.1,
  use_cache: true,
};

/** GPT-2 presets: HF's `gpt2` and two sizes that train on a laptop CPU. */
export const GPT2_PRESETS = {
  gpt2: {},
  /** 2 layers, width 128, 4 heads (~0.4M non-embedding parameters). */
  "gpt2-tiny": { n_layer: 2, n_embd: 128, n_head: 4, n_positions: 256 },
  /** 4 layers, width 256, 4 heads (~3.2M non-embedding parameters). */
  "gpt2-small-cpu": { n_layer: 4, n_embd: 256, n_head: 4, n_positions: 512 },
  /**
   * 4 layers, width 128, 4 heads (~0.8M non-embedding parameters): for large vocabularies, whose LM
   * head (cost ∝ width × vocabulary) dominates a step, so halving the width buys twice the epochs.
   */
  "gpt2-mini-cpu": { n_layer: 4, n_embd: 128, n_head: 4, n_positions: 512 },
} as const satisfies Record<string, Partial<Gpt2Config>>;

/** A GPT-2 preset name. @example gpt2Config("gpt2-small-cpu") */
export type Gpt2Preset = keyof typeof GPT2_PRESETS;

/** Why a GPT-2 configuration is unusable. */
export interface InvalidConfig {
  readonly _tag: "InvalidConfig";
  readonly message: string;
}

const positiveInts = ["vocab_size", "n_positions", "n_embd", "n_layer", "n_head"] as const;
const probabilities = ["resid_pdrop", "embd_pdrop", "attn_pdrop"] as const;
const activations: readonly string[] = ["gelu", "gelu_new", "gelu_pytorch_tanh", "relu"];

/**
 * Checks a configuration: sizes positive integers, n_head dividing n_embd, dropouts in [0, 1), a known
 * activation and no unsupported options.
 * @example validateGpt2Config({ ...GPT2_DEFAULTS, n_head: 5 }) // Left: 768 is not divisible by 5
 */
export const validateGpt2Config = (c: Gpt2Config): E.Either<InvalidConfig, Gpt2Config> => {
  const bad = (message: string) =>
    E.left<InvalidConfig>({ _tag: "InvalidConfig", message: `GPT-2 config: ${message}` });
  for (const k of positiveInts) {
    if (!Number.isInteger(c[k]) || c[k] <= 0) return bad(`${k} must be a positive integer, got ${c[k]}.`);
  }
  if (c.n_embd % c.n_head !== 0) return bad(`n_embd ${c.n_embd} is not divisible by n_head ${c.n_head}.`);
  if (c.n_inner !== null && (!Number.isInteger(c.n_inner) || c.n_inner <= 0)) {
    return bad(`n_inner must be null or a positive integer, got ${c.n_inner}.`);
  }
  for (const k of probabilities) {
    if (!(c[k] >= 0 && c[k] < 1)) return bad(`${k} must be in [0, 1), got ${c[k]}.`);
  }
  if (!activations.includes(c.activation_function)) {
    return bad(
      `activation_function "${c.activation_function}" is not supported; use one of ${activations.join(", ")}.`,
    );
  }
  if (!c.scale_attn_weights || c.scale_attn_by_inverse_layer_idx) {
    return bad("only scale_attn_weights=true and scale_attn_by_inverse_layer_idx=false are supported.");
  }
  return E.right(c);
};

/**
 * A preset with overrides (vocab size and context length usually come from our tokenizer and data).
 * Throws on an invalid result; use `validateGpt2Config` for an Either.
 * @example const config = gpt2Config("gpt2-tiny", { vocab_size: 8000, n_positions: 128 });
 */
export const gpt2Config = (preset: Gpt2Preset = "gpt2", overrides: Partial<Gpt2Config> = {}): Gpt2Config => {
  const config = { ...GPT2_DEFAULTS, ...GPT2_PRESETS[preset], ...overrides };
  const checked = validateGpt2Config(config);
  if (E.isLeft(checked)) throw new Error(checked.left.message);
  return config;
};

/** The MLP width: n_inner, or 4·n_embd when null. */
export const gpt2InnerSize = (c: Gpt2Config): number => c.n_inner ?? 4 * c.n_embd;
