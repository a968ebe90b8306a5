/**
 * BERT for masked language modelling (Devlin et al. 2019) as Hugging Face's BertForMaskedLM computes it:
 * word + position + token-type embeddings, post-LN encoder layers (x = LN(x + attn(x)), then
 * x = LN(x + ffn(x))), and the MLM head dense → GELU → LayerNorm → decoder tied to the word embeddings
 * plus a bias. No pooler (BertForMaskedLM has none). Parameters sit in a tree whose dotted paths are HF's
 * names, weights in nn.Linear's [out, in] layout.
 */
import { add, arange, gather, matmul, type random, reshape, type Tensor, zeros } from "@scratchgrad/tensor";
import { attention, keyPaddingMask } from "../../layers/attention.js";
import { type ApplyContext, childContext } from "../../layers/context.js";
import { dropout } from "../../layers/dropout.js";
import { embedding } from "../../layers/embedding.js";
import { layerNorm } from "../../layers/layer-norm.js";
import { linear } from "../../layers/linear.js";
import { activation, mlp } from "../../layers/mlp.js";
import { countParams, initFromSpec, type ParamsOf, shapesOf, zerosParam } from "../../params/spec.js";
import type { BertConfig } from "./config.js";

const dense = (c: BertConfig, inFeatures: number, outFeatures: number) =>
  linear.spec({ inFeatures, outFeatures, layout: "out-in", std: c.initializer_range });

const layerSpec = (c: BertConfig) => {
  const C = c.hidden_size;
  return {
    attention: {
      self: { query: dense(c, C, C), key: dense(c, C, C), value: dense(c, C, C) },
      output: { dense: dense(c, C, C), LayerNorm: layerNorm.spec(C) },
    },
    intermediate: { dense: dense(c, C, c.intermediate_size) },
    output: { dense: dense(c, c.intermediate_size, C), LayerNorm: layerNorm.spec(C) },
  };
};

/**
 * The shape and initialiser of every BertForMaskedLM parameter, under HF's names. The decoder weight is
 * `bert.embeddings.word_embeddings.weight` and its bias is `cls.predictions.bias` (HF ties both), so
 * neither `cls.predictions.decoder.*` is listed.
 * @example shapesOf(bertSpec(bertConfig())).get("cls.predictions.bias") // [28996]
 */
export const bertSpec = (c: BertConfig) => {
  const C = c.hidden_size;
  const std = c.initializer_range;
  return {
    bert: {
      embeddings: {
        word_embeddings: embedding.spec({
          numEmbeddings: c.vocab_size,
          dim: C,
          std,
          paddingIdx: c.pad_token_id,
        }),
        position_embeddings: embedding.spec({ numEmbeddings: c.max_position_embeddings, dim: C, std }),
        token_type_embeddings: embedding.spec({ numEmbeddings: c.type_vocab_size, dim: C, std }),
        LayerNorm: layerNorm.spec(C),
      },
      encoder: { layer: Array.from({ length: c.num_hidden_layers }, () => layerSpec(c)) },
    },
    cls: {
      predictions: {
        bias: zerosParam([c.vocab_size]),
        transform: { dense: dense(c, C, C), LayerNorm: layerNorm.spec(C) },
      },
    },
  };
};

/** BertForMaskedLM's parameter tree. */
export type BertParams = ParamsOf<ReturnType<typeof bertSpec>>;
type LayerParams = BertParams["bert"]["encoder"]["layer"][number];

/** What BERT reads: token ids, and optionally which tokens are real and which segment each is in. */
export interface BertInputs {
  /** int32 [B, T]. */
  readonly inputIds: Tensor;
  /** [B, T] 1 for real tokens, 0 for padding (HF's `attention_mask`); default all ones. */
  readonly attentionMask?: Tensor;
  /** int32 [B, T] segment ids (HF's `token_type_ids`); default all zeros. */
  readonly tokenTypeIds?: Tensor;
}

const encoderLayer = (
  c: BertConfig,
  p: LayerParams,
  x: Tensor,
  keyMask: Tensor | undefined,
  ctx: ApplyContext,
): Tensor => {
  const eps = c.layer_norm_eps;
  const s = p.attention.self;
  const q = linear.apply(s.query, x, "out-in"); // [B, T, C]
  const k = linear.apply(s.key, x, "out-in");
  const v = linear.apply(s.value, x, "out-in");
  const a = attention(
    q,
    k,
    v,
    { nHead: c.num_attention_heads, keyMask, dropoutP: c.attention_probs_dropout_prob },
    childContext(ctx, 0),
  );
  const o = p.attention.output;
  const attnOut = dropout(linear.apply(o.dense, a, "out-in"), c.hidden_dropout_prob, childContext(ctx, 1));
  const h = layerNorm.apply(o.LayerNorm, add(attnOut, x), eps); // post-LN: normalise after the residual add
  const f = mlp(
    { fc: p.intermediate.dense, proj: p.output.dense },
    h,
    { layout: "out-in", activation: c.hidden_act, dropoutP: c.hidden_dropout_prob },
    childContext(ctx, 2),
  );
  return layerNorm.apply(p.output.LayerNorm, add(f, h), eps); // [B, T, C]
};

/** The MLM head on hidden states [..., C]: dense → activation → LayerNorm → tied decoder + bias. */
const mlmHead = (c: BertConfig, params: BertParams, h: Tensor): Tensor => {
  const tr = params.cls.predictions.transform;
  const z = layerNorm.apply(
    tr.LayerNorm,
    activation(c.hidden_act, linear.apply(tr.dense, h, "out-in")),
    c.layer_norm_eps,
  );
  const words = params.bert.embeddings.word_embeddings.weight; // [V, C], the tied decoder
  return add(matmul(z, words, { transB: true }), params.cls.predictions.bias); // [..., V]
};

/** A BERT masked language model for one configuration. */
export interface BertModel {
  readonly config: BertConfig;
  /** Parameter shapes and initialisers, named as HF's BertForMaskedLM state dict. */
  readonly spec: () => ReturnType<typeof bertSpec>;
  /** Random parameters initialised as HF's `BertForMaskedLM(config)` (`_init_weights`). */
  readonly init: (key: random.Key) => BertParams;
  /** MLM logits [B, T, V]. */
  readonly apply: (params: BertParams, inputs: BertInputs, ctx: ApplyContext) => Tensor;
  /**
   * MLM logits [N, V] at `positions` only (int32 [N], flat indices into the B·T tokens): row i equals
   * `apply(...)` reshaped to [B·T, V] at row positions[i]. The masked-LM loss needs logits only where
   * labels are (~15% of tokens), so training runs the head there, as Google's original BERT does with
   * `masked_lm_positions`; the vocabulary projection is the largest matmul of a small BERT.
   */
  readonly logitsAt: (params: BertParams, inputs: BertInputs, positions: Tensor, ctx: ApplyContext) => Tensor;
  /** The encoder's last hidden states [B, T, C] (before the MLM head). */
  readonly hiddenStates: (params: BertParams, inputs: BertInputs, ctx: ApplyContext) => Tensor;
  /** Parameter count, as HF's `model.num_parameters()` (tied decoder counted once). */
  readonly countParams: () => number;
  /** Every parameter's HF name and shape. */
  readonly paramShapes: () => Map<string, readonly number[]>;
}

/**
 * BERT (masked LM) for a configuration.
 * @example
 * const model = bert(bertConfig("bert-tiny", { vocab_size: 8000 }));
 * const params = model.init(random.key(0));
 * const logits = model.apply(params, { inputIds, attentionMask }, { training: false }); // [B, T, 8000]
 */
export const bert = (config: BertConfig): BertModel => {
  const c = config;
  const spec = () => bertSpec(c);
  const hiddenStates = (params: BertParams, inputs: BertInputs, ctx: ApplyContext): Tensor => {
    const { inputIds } = inputs;
    if (inputIds.rank !== 2 || inputIds.dtype !== "int32") {
      throw new Error(
        `bert: inputIds must be int32 [B, T], got ${inputIds.dtype} [${inputIds.shape.join(", ")}].`,
      );
    }
    const [b, t] = inputIds.shape as [number, number];
    if (t > c.max_position_embeddings) {
      throw new Error(
        `bert: ${t} tokens exceed max_position_embeddings ${c.max_position_embeddings}; use shorter blocks.`,
      );
    }
    const e = params.bert.embeddings;
    const tokenTypes = inputs.tokenTypeIds ?? zeros([b, t], "int32");
    let x = add(
      add(
        embedding.apply(e.word_embeddings, inputIds),
        embedding.apply(e.position_embeddings, arange(0, t, 1, "int32")),
      ),
      embedding.apply(e.token_type_embeddings, tokenTypes),
    ); // [B, T, C]
    x = dropout(
      layerNorm.apply(e.LayerNorm, x, c.layer_norm_eps),
      c.hidden_dropout_prob,
      childContext(ctx, 0),
    );
    const keyMask = inputs.attentionMask ? keyPaddingMask(inputs.attentionMask) : undefined; // [B, T]
    params.bert.encoder.layer.forEach((p, i) => {
      x = encoderLayer(c, p, x, keyMask, childContext(ctx, i + 1));
    });
    return x;
  };
  return {
    config,
    spec,
    init: (key) => initFromSpec(key, spec()),
    hiddenStates,
    apply: (params, inputs, ctx) => mlmHead(c, params, hiddenStates(params, inputs, ctx)), // [B, T, V]
    logitsAt: (params, inputs, positions, ctx) => {
      if (positions.rank !== 1 || positions.dtype !== "int32") {
        throw new Error(
          `bert.logitsAt: positions must be int32 [N], got ${positions.dtype} [${positions.shape.join(", ")}].`,
        );
      }
      const h = hiddenStates(params, inputs, ctx); // [B, T, C]
      const rows = gather(reshape(h, [-1, c.hidden_size]), positions); // [N, C]
      return mlmHead(c, params, rows); // [N, V]
    },
    countParams: () => countParams(spec()),
    paramShapes: () => shapesOf(spec()),
  };
};
