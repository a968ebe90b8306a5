/**
 * GPT-2 (Radford et al. 2019) as Hugging Face's GPT2LMHeadModel computes it: learned token and position
 * embeddings, pre-LN blocks (x + attn(ln_1(x)), then x + mlp(ln_2(x))), a final LayerNorm and an LM head
 * tied to the token embeddings. Parameters sit in a tree whose dotted paths are HF's state-dict names
 * (`transformer.h.0.attn.c_attn.weight`) in HF's Conv1D [in, out] layout, so a checkpoint is a renaming.
 */

import { causalLmLoss } from "@scratchgrad/lm-objectives";
import { add, arange, concat, matmul, type random, split, type Tensor } from "@scratchgrad/tensor";
import { attention, keyPaddingMask } from "../../layers/attention.js";
import { type ApplyContext, childContext } from "../../layers/context.js";
import { dropout } from "../../layers/dropout.js";
import { embedding } from "../../layers/embedding.js";
import { layerNorm } from "../../layers/layer-norm.js";
import { linear } from "../../layers/linear.js";
import { mlp } from "../../layers/mlp.js";
import { countParams, initFromSpec, type ParamsOf, shapesOf } from "../../params/spec.js";
import { type Gpt2Config, gpt2InnerSize } from "./config.js";

const blockSpec = (c: Gpt2Config) => {
  const C = c.n_embd;
  const std = c.initializer_range;
  // HF's _init_weights: every c_proj.weight (attention and MLP) gets std / √(2·n_layer), GPT-2 paper §2.3,
  // so the residual stream's variance does not grow with depth.
  const projStd = std / Math.sqrt(2 * c.n_layer);
  return {
    ln_1: layerNorm.spec(C),
    attn: {
      c_attn: linear.spec({ inFeatures: C, outFeatures: 3 * C, layout: "in-out", std }),
      c_proj: linear.spec({ inFeatures: C, outFeatures: C, layout: "in-out", std: projStd }),
    },
    ln_2: layerNorm.spec(C),
    mlp: {
      c_fc: linear.spec({ inFeatures: C, outFeatures: gpt2InnerSize(c), layout: "in-out", std }),
      c_proj: linear.spec({ inFeatures: gpt2InnerSize(c), outFeatures: C, layout: "in-out", std: projStd }),
    },
  };
};

/**
 * The shape and initialiser of every GPT-2 parameter, named as in HF's GPT2LMHeadModel. The LM head is
 * `transformer.wte.weight` itself, so it is not listed (HF also counts and saves it once).
 * @example shapesOf(gpt2Spec(gpt2Config("gpt2"))).get("transformer.h.0.attn.c_attn.weight") // [768, 2304]
 */
export const gpt2Spec = (c: Gpt2Config) => ({
  transformer: {
    wte: embedding.spec({ numEmbeddings: c.vocab_size, dim: c.n_embd, std: c.initializer_range }),
    wpe: embedding.spec({ numEmbeddings: c.n_positions, dim: c.n_embd, std: c.initializer_range }),
    h: Array.from({ length: c.n_layer }, () => blockSpec(c)),
    ln_f: layerNorm.spec(c.n_embd),
  },
});

/** GPT-2's parameter tree. */
export type Gpt2Params = ParamsOf<ReturnType<typeof gpt2Spec>>;
type BlockParams = Gpt2Params["transformer"]["h"][number];

/** One layer's cached keys and values, [B, T_past, C] each (heads are split after concatenation). */
export interface LayerCache {
  readonly key: Tensor;
  readonly value: Tensor;
}

/** Keys and values of every layer for the positions processed so far. */
export interface Gpt2Cache {
  readonly layers: readonly LayerCache[];
  /** Number of positions already processed. */
  readonly length: number;
}

/** Optional inputs of `apply`. @example model.apply(params, ids, ctx, { attentionMask }) */
export interface Gpt2ApplyOptions {
  /** [B, T] 1 for real tokens, 0 for padding (HF's `attention_mask`); keys at padding are ignored. */
  readonly attentionMask?: Tensor;
}

const checkInput = (c: Gpt2Config, inputIds: Tensor, past: number): void => {
  if (inputIds.rank !== 2 || inputIds.dtype !== "int32") {
    throw new Error(
      `gpt2: inputIds must be int32 [B, T], got ${inputIds.dtype} [${inputIds.shape.join(", ")}].`,
    );
  }
  const end = past + inputIds.shape[1]!;
  if (end > c.n_positions) {
    throw new Error(
      `gpt2: positions up to ${end} exceed n_positions ${c.n_positions}; use shorter blocks or a config with larger n_positions.`,
    );
  }
};

const block = (
  c: Gpt2Config,
  p: BlockParams,
  x: Tensor,
  keyMask: Tensor | undefined,
  ctx: ApplyContext,
  past: LayerCache | undefined,
): [Tensor, LayerCache] => {
  const eps = c.layer_norm_epsilon;
  const [q, k, v] = split(linear.apply(p.attn.c_attn, layerNorm.apply(p.ln_1, x, eps), "in-out"), 3, -1); // [B, T, C] each
  const keys = past ? concat([past.key, k], 1) : k; // [B, T_past + T, C]
  const values = past ? concat([past.value, v], 1) : v;
  const y = attention(
    q,
    keys,
    values,
    // A single new token may attend to every cached position: causal only when T > 1.
    { nHead: c.n_head, causal: q.shape[1]! > 1, keyMask, dropoutP: c.attn_pdrop },
    childContext(ctx, 0),
  ); // [B, T, C]
  const attnOut = dropout(linear.apply(p.attn.c_proj, y, "in-out"), c.resid_pdrop, childContext(ctx, 1));
  const h = add(x, attnOut); // [B, T, C]
  const m = mlp(
    { fc: p.mlp.c_fc, proj: p.mlp.c_proj },
    layerNorm.apply(p.ln_2, h, eps),
    { layout: "in-out", activation: c.activation_function, dropoutP: c.resid_pdrop },
    childContext(ctx, 2),
  );
  return [add(h, m), { key: keys, value: values }];
};

/** The transformer trunk: final hidden states [B, T, C] (after ln_f) and the updated cache. */
const trunk = (
  c: Gpt2Config,
  params: Gpt2Params,
  inputIds: Tensor,
  ctx: ApplyContext,
  cache: Gpt2Cache | undefined,
  options: Gpt2ApplyOptions,
): [Tensor, Gpt2Cache] => {
  const past = cache?.length ?? 0;
  checkInput(c, inputIds, past);
  const t = inputIds.shape[1]!;
  const tr = params.transformer;
  const positions = arange(past, past + t, 1, "int32"); // [T]
  const emb = add(embedding.apply(tr.wte, inputIds), embedding.apply(tr.wpe, positions)); // [B, T, C]
  let x = dropout(emb, c.embd_pdrop, childContext(ctx, 0));
  const keyMask = options.attentionMask ? keyPaddingMask(options.attentionMask) : undefined; // [B, T_past + T]
  const layers: LayerCache[] = [];
  tr.h.forEach((p, i) => {
    const [out, present] = block(c, p, x, keyMask, childContext(ctx, i + 1), cache?.layers[i]);
    x = out;
    layers.push(present);
  });
  return [layerNorm.apply(tr.ln_f, x, c.layer_norm_epsilon), { layers, length: past + t }];
};

/** The tied LM head: hidden [B, T, C] · wteᵀ → logits [B, T, V]. */
const head = (params: Gpt2Params, hidden: Tensor): Tensor =>
  matmul(hidden, params.transformer.wte.weight, { transB: true });

/** A GPT-2 language model for one configuration: `init`, `apply` and friends. */
export interface Gpt2Model {
  readonly config: Gpt2Config;
  /** Parameter shapes and initialisers, named as HF's GPT2LMHeadModel state dict. */
  readonly spec: () => ReturnType<typeof gpt2Spec>;
  /** Random parameters initialised as HF's `GPT2LMHeadModel(config)`. */
  readonly init: (key: random.Key) => Gpt2Params;
  /** Logits [B, T, V] for int32 `inputIds` [B, T]. */
  readonly apply: (
    params: Gpt2Params,
    inputIds: Tensor,
    ctx: ApplyContext,
    options?: Gpt2ApplyOptions,
  ) => Tensor;
  /** Final hidden states [B, T, C] (after ln_f), for losses that project in chunks. */
  readonly hiddenStates: (
    params: Gpt2Params,
    inputIds: Tensor,
    ctx: ApplyContext,
    options?: Gpt2ApplyOptions,
  ) => Tensor;
  /**
   * HF's causal-LM loss: mean cross-entropy of position t's logits against labels[t + 1] (labels default
   * to inputIds; label −100 is ignored). It is `causalLmLoss(apply(params, inputIds, ctx), labels)`
   * from `@scratchgrad/lm-objectives`.
   */
  readonly loss: (
    params: Gpt2Params,
    batch: { readonly inputIds: Tensor; readonly labels?: Tensor },
    ctx: ApplyContext,
  ) => Tensor;
  /**
   * Incremental forward: logits for the new tokens [B, t] given the cache of the earlier ones (none
   * for the prompt), and the extended cache. Equal to `apply` on the whole sequence.
   */
  readonly applyWithCache: (
    params: Gpt2Params,
    inputIds: Tensor,
    cache: Gpt2Cache | undefined,
    ctx: ApplyContext,
  ) => { readonly logits: Tensor; readonly cache: Gpt2Cache };
  /** Parameter count, as HF's `model.num_parameters()` (tied head counted once). */
  readonly countParams: () => number;
  /** Every parameter's HF name and shape. */
  readonly paramShapes: () => Map<string, readonly number[]>;
}

/**
 * GPT-2 for a configuration.
 * @example
 * const model = gpt2(gpt2Config("gpt2-tiny", { vocab_size: 8000 }));
 * const params = model.init(random.key(0));
 * const logits = model.apply(params, inputIds, { training: false }); // [B, T, 8000]
 * const loss = model.loss(params, { inputIds }, { training: true, key: random.foldIn(key, step) });
 */
export const gpt2 = (config: Gpt2Config): Gpt2Model => {
  const spec = () => gpt2Spec(config);
  const hiddenStates = (
    params: Gpt2Params,
    inputIds: Tensor,
    ctx: ApplyContext,
    options: Gpt2ApplyOptions = {},
  ) => trunk(config, params, inputIds, ctx, undefined, options)[0];
  const apply = (params: Gpt2Params, inputIds: Tensor, ctx: ApplyContext, options: Gpt2ApplyOptions = {}) =>
    head(params, hiddenStates(params, inputIds, ctx, options));
  return {
    config,
    spec,
    init: (key) => initFromSpec(key, spec()),
    apply,
    hiddenStates,
    // the project's one causal-LM loss (lm-objectives), as HF's GPT2LMHeadModel calls its shared one
    loss: (params, { inputIds, labels = inputIds }, ctx) =>
      causalLmLoss(apply(params, inputIds, ctx), labels),
    applyWithCache: (params, inputIds, cache, ctx) => {
      const [hidden, next] = trunk(config, params, inputIds, ctx, cache, {});
      return { logits: head(params, hidden), cache: next };
    },
    countParams: () => countParams(spec()),
    paramShapes: () => shapesOf(spec()),
  };
};
