/**
 * Facts about a trained model that Hugging Face's files record: the context length a tokenizer is
 * given (`model_max_length`) and the parameter count behind `total_flos`.
 */
import { treeFlatten } from "@scratchgrad/tensor";

/**
 * The model's context, as `tokenizer_config.json`'s `model_max_length`: GPT-2's `n_positions`, BERT's
 * `max_position_embeddings`.
 * @example modelMaxLength("gpt2", { n_positions: 128 }) // 128
 */
export const modelMaxLength = (
  modelType: "gpt2" | "bert",
  config: Readonly<Record<string, unknown>>,
): number => Number(modelType === "gpt2" ? config.n_positions : config.max_position_embeddings);

// the nn.Embedding tables of GPT-2 (wte, wpe) and BERT (word, position, token type)
const EMBEDDING_TABLE = /(^|\.)(wte|wpe|word_embeddings|position_embeddings|token_type_embeddings)\./;

/**
 * Parameters outside the embedding tables (HF's `num_parameters(exclude_embeddings=True)`; the tied
 * head is the embedding, stored once).
 * @example nonEmbeddingParameterCount(params) * 6 * tokens // HF's total_flos
 */
export const nonEmbeddingParameterCount = (params: unknown): number => {
  let n = 0;
  for (const [path, t] of treeFlatten(params)) if (!EMBEDDING_TABLE.test(path)) n += t.size;
  return n;
};
