import type { Tensor } from "@scratchgrad/tensor";
import { chain } from "./combine.js";
import { type DecayMask, isNormOrBias } from "./mask.js";
import { labelByPath, multiTransform } from "./multi-transform.js";
import { type AdamWOptions, adamw } from "./optimizers.js";
import { addDecayedWeights } from "./transforms/decay.js";
import { type MatrixLayout, type ScaleByMuonOptions, scaleByMuon } from "./transforms/muon.js";
import { scaleByLearningRate } from "./transforms/scale.js";
import { describeLearningRate, type Json, type LearningRate } from "./types.js";

/** Options of `muon`. Defaults are `torch.optim.Muon`'s. */
export interface MuonOptions extends ScaleByMuonOptions {
  readonly learningRate: LearningRate;
  /** Decoupled weight decay λ: p ← p − lr·λ·p (with the unscaled lr, as PyTorch does); 0.1 by default. */
  readonly weightDecay?: number;
  /** Which matrices decay (all by default). */
  readonly mask?: DecayMask;
}

/**
 * Muon (MomentUm Orthogonalized by Newton–Schulz; Keller Jordan 2024) for weight matrices, with
 * `torch.optim.Muon`'s numbers: at update t with rate lr_t, for each matrix
 *
 *   m ← β·m + (1 − β)·g,   u = (1 − β)·g + β·m  (Nesterov)
 *   p ← p − lr_t·λ·p − lr_t·scale(shape)·newtonSchulz(u)
 *
 * built as `chain(scaleByMuon, addDecayedWeights(λ, mask), scaleByLearningRate(lr))`. Only matrices:
 * combine it with AdamW for embeddings, heads, norms and biases (`muonWithAdamW`, `multiTransform`).
 *
 * The default scaling is `"original"` (√max(1, fan-out/fan-in)) because that is what
 * `torch.optim.Muon`, optax's `contrib.muon` and Keller Jordan's reference do, so published Muon
 * learning rates (≈ 0.02) mean the same here; `scaling: "matchRmsAdamW"` (0.2·√max(rows, cols),
 * Moonshot's) instead reuses an AdamW learning rate and weight decay.
 * @example
 * const opt = muon({ learningRate: 0.02, weightDecay: 0 });
 */
export const muon = ({ learningRate, weightDecay = 0.1, mask, ...muonOptions }: MuonOptions) => {
  const direction = scaleByMuon(muonOptions);
  const opt = chain(direction, addDecayedWeights(weightDecay, mask), scaleByLearningRate(learningRate));
  return {
    ...opt,
    hyperparameters: {
      ...(direction.hyperparameters as Record<string, Json>),
      name: "muon",
      learningRate: describeLearningRate(learningRate),
      weightDecay,
      mask: mask === undefined ? "all" : typeof mask === "function" ? "predicate" : { ...mask },
    },
  };
};

// A path segment naming an embedding table or an output head: GPT-2's `wte`/`wpe`, `lm_head`, BERT's
// `word_embeddings`/`position_embeddings`/`token_type_embeddings`, `embed_tokens`, an MLM `decoder`.
const EMBEDDING_OR_HEAD_SEGMENT = /^(wte|wpe|lm_head|decoder|.*embed.*)$/i;

/**
 * True for the parameters Muon is meant for: hidden 2-D weight matrices (attention and MLP weights,
 * BERT's MLM transform), not embeddings, the (tied) output head, LayerNorm parameters or biases.
 * @example
 * isHiddenMatrix("transformer.h.0.attn.c_attn.weight", zeros([64, 192])); // true
 * isHiddenMatrix("transformer.wte.weight", zeros([100, 64])); // false
 */
export const isHiddenMatrix = (path: string, param: Tensor): boolean =>
  param.rank === 2 &&
  !isNormOrBias(path) &&
  !path.split(".").some((segment) => EMBEDDING_OR_HEAD_SEGMENT.test(segment));

/**
 * The storage layout of Hugging Face weights by name: GPT-2's Conv1D weights (`c_attn`, `c_proj`,
 * `c_fc`) are [in, out]; everything else (BERT's `nn.Linear`) is [out, in].
 * @example
 * huggingFaceLayout("transformer.h.0.mlp.c_fc.weight"); // "in-out"
 */
export const huggingFaceLayout = (path: string): MatrixLayout =>
  path.split(".").some((segment) => /^c_(attn|proj|fc)$/.test(segment)) ? "in-out" : "out-in";

/** Options of `muonWithAdamW`. */
export interface MuonWithAdamWOptions {
  /** Muon's options, for the hidden matrices; `layout` defaults to `huggingFaceLayout`. */
  readonly muon: MuonOptions;
  /** AdamW's options, for everything else. */
  readonly adamw: AdamWOptions;
  /** Which parameters Muon takes; `isHiddenMatrix` by default. */
  readonly isMuonParam?: (path: string, param: Tensor) => boolean;
}

/**
 * "Muon for hidden matrices, AdamW for the rest" as one transformation (Keller Jordan's split, used
 * by modded-nanogpt): `multiTransform({ muon, adamw }, labelByPath(isHiddenMatrix))`, for GPT-2's and
 * BERT's Hugging Face-named parameter trees. Its state is `{ inner: { muon, adamw } }` and saves like
 * any other.
 * @example
 * const opt = muonWithAdamW({
 *   muon: { learningRate: 0.02, weightDecay: 0 },
 *   adamw: { learningRate: 2e-3, weightDecay: 0.1, mask: decayMask(params) },
 * });
 */
export const muonWithAdamW = ({
  muon: muonOptions,
  adamw: adamwOptions,
  isMuonParam = isHiddenMatrix,
}: MuonWithAdamWOptions) =>
  multiTransform(
    {
      muon: muon({ layout: (path) => huggingFaceLayout(path), ...muonOptions }),
      adamw: adamw(adamwOptions),
    },
    labelByPath((path, param) => (isMuonParam(path, param) ? "muon" : "adamw")),
  );
