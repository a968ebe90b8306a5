/**
 * What Hugging Face files contain beyond our parameters, per architecture, so their checkpoints load:
 * tied copies `save_pretrained` may or may not drop, legacy buffers, heads BertForMaskedLM ignores, and
 * legacy names (`gamma`/`beta`, GPT-2 files saved without the `transformer.` prefix).
 */
import type { LoadRules } from "./state-dict.js";

/** GPT2LMHeadModel: `lm_head.weight` is wte; old files store the causal-mask buffers `attn.bias`/`masked_bias`. */
export const GPT2_LOAD_RULES: LoadRules = {
  model: "GPT2LMHeadModel",
  // Files saved from GPT2Model (the hub's original `gpt2` weights) lack the `transformer.` prefix.
  rename: (name, all) =>
    all.some((n) => n.startsWith("transformer.")) || name.startsWith("lm_head.")
      ? name
      : `transformer.${name}`,
  ignore: (name) => name === "lm_head.weight" || /^transformer\.h\.\d+\.attn\.(bias|masked_bias)$/.test(name),
};

/**
 * BertForMaskedLM: the decoder weight is the word embeddings and its bias is `cls.predictions.bias`
 * (HF lists both in `_tied_weights_keys`); position/token-type id buffers, the pooler and the NSP head of
 * BertForPreTraining files are ignored, as HF does.
 */
export const BERT_LOAD_RULES: LoadRules = {
  model: "BertForMaskedLM",
  rename: (name) =>
    name.replace(/LayerNorm\.gamma$/, "LayerNorm.weight").replace(/LayerNorm\.beta$/, "LayerNorm.bias"),
  ignore: (name) =>
    name === "cls.predictions.decoder.weight" ||
    name === "cls.predictions.decoder.bias" ||
    name === "bert.embeddings.position_ids" ||
    name === "bert.embeddings.token_type_ids" ||
    name.startsWith("bert.pooler.") ||
    name.startsWith("cls.seq_relationship."),
};
