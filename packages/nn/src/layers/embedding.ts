/** Token and position embeddings: a table lookup, whose gradient is a scatter-add into the table. */
import { gather, type random, type Tensor } from "@scratchgrad/tensor";
import { initFromSpec, normalParam, type ParamSpec } from "../params/spec.js";

/** Table size and width; `paddingIdx` zeroes one row at init (PyTorch `padding_idx`). */
export interface EmbeddingConfig {
  readonly numEmbeddings: number;
  readonly dim: number;
  /** Standard deviation of the normal init (default 0.02). */
  readonly std?: number;
  /** Row initialised to zeros, as PyTorch's `padding_idx` (BERT's `pad_token_id`). */
  readonly paddingIdx?: number;
}

/** `{ weight: [numEmbeddings, dim] }`. */
export interface EmbeddingParams {
  readonly weight: Tensor;
}

const spec = ({ numEmbeddings, dim, std = 0.02, paddingIdx }: EmbeddingConfig): { weight: ParamSpec } => ({
  weight: normalParam([numEmbeddings, dim], std, paddingIdx),
});

/**
 * An embedding table: `apply(params, ids)` maps int32 ids [...] to vectors [..., dim].
 * @example
 * const wte = embedding.init(random.key(0), { numEmbeddings: 50257, dim: 768 });
 * const x = embedding.apply(wte, inputIds); // [B, T, 768]
 */
export const embedding = {
  spec,
  init: (key: random.Key, config: EmbeddingConfig): EmbeddingParams => initFromSpec(key, spec(config)),
  apply: (params: EmbeddingParams, ids: Tensor): Tensor => gather(params.weight, ids),
} as const;
