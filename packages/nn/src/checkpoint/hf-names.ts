/**
 * What Hugging Face files contain beyond our parameters, per architecture, so their checkpoints load:
 * tied copies `save_pretrained` may or may not drop, legacy buffers, heads BertForMaskedLM ignores, and
 * legacy names (`gamma`/`beta`, GPT-2 files saved without the `transformer.` prefix).
 */
import type { LoadRules } from "./state-dict.js";

/**
 * GPT2LMHeadModel: `lm_head.weight`, when stored, must equal wte (the head is tied); old files store the
 * causal-mask buffers `attn.bias`/`masked_bias`.
 */
export const GPT2_LOAD_RULES: LoadRules = {
  model: "GPT2LMHeadModel",
  // Files saved from GPT2Model (the hub's original `gpt2` weights) lack the `transformer.` prefix.
  rename: (name, all) =>
    all.some((n) => n.startsWith("transformer.")) || name.startsWith("lm_head.")
      ? name
      : `transformer.${name}`,
  ignore: (name) => /^transformer\.h\.\d+\.attn\.(bias|masked_bias)$/.test(name),
  tied: { "lm_head.weight": "transformer.wte.weight" },
};

/**
 * BertForMaskedLM: the decoder weight is the word embeddings and its bias is `cls.predictions.bias`
 * (HF lists both in `_tied_weights_keys`; stored copies must equal them); position/token-type id
 * buffers, the pooler and the NSP head of BertForPreTraining files are ignored, as HF does. Files whose
 * encoder names lack the `bert.` prefix (saved from a bare BertModel, beside a `cls.` head) get it.
 */
export const BERT_LOAD_RULES: LoadRules = {
  model: "BertForMaskedLM",
  rename: (name, all) => {
    const modern = name
      .replace(/LayerNorm\.gamma$/, "LayerNorm.weight")
      .replace(/LayerNorm\.beta$/, "LayerNorm.bias");
    return all.some((n) => n.startsWith("bert.")) || modern.startsWith("cls.") ? modern : `bert.${modern}`;
  },
  tied: {
    "cls.predictions.decoder.weight": "bert.embeddings.word_embeddings.weight",
    "cls.predictions.decoder.bias": "cls.predictions.bias",
  },
  ignore: (name) =>
    name === "bert.embeddings.position_ids" ||
    name === "bert.embeddings.token_type_ids" ||
    name.startsWith("bert.pooler.") ||
    name.startsWith("cls.seq_relationship."),
};
