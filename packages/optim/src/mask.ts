import { type Tensor, treeFlatten } from "@scratchgrad/tensor";

/**
 * Which parameters weight decay applies to: either a predicate over a parameter's dotted path (as
 * `treeFlatten` names it, e.g. `h.0.attn.c_attn.weight`) and the parameter itself, or a record from
 * dotted path to `true` (decay) / `false` (exempt), as `decayMask` builds.
 */
export type DecayMask = Readonly<Record<string, boolean>> | DecayPredicate;

/** Decides from a parameter's dotted path and value whether it is weight-decayed. */
export type DecayPredicate = (path: string, param: Tensor) => boolean;

// A path segment naming a normalisation module: GPT-2's `ln_1`, `ln_2`, `ln_f`, BERT's `LayerNorm`,
// and the `layer_norm`, `final_layer_norm`, `rmsnorm`, `norm1`, `norm_2` spellings of other models.
const NORM_SEGMENT = /^(ln(_.*)?|.*norm(_?\d+)?)$/i;

/**
 * True when `path` names a bias or a parameter of a normalisation layer (any segment such as `ln_1`,
 * `ln_f`, `LayerNorm`, `layer_norm`, `norm`, or a name containing "bias").
 * @example
 * isNormOrBias("h.0.ln_1.weight"); // true
 * isNormOrBias("h.0.attn.c_attn.bias"); // true
 * isNormOrBias("h.0.attn.c_attn.weight"); // false
 */
export const isNormOrBias = (path: string): boolean => {
  if (path.toLowerCase().includes("bias")) return true;
  return path.split(".").some((segment) => NORM_SEGMENT.test(segment));
};

/**
 * nanoGPT's rule (our default): decay matrices and embeddings (rank ≥ 2) that are not biases or norm
 * parameters; never vectors or scalars. For GPT-2 and BERT this selects exactly the same parameters
 * as Hugging Face's Trainer (all their biases and LayerNorm parameters are 1-D).
 * @example
 * defaultDecayPredicate("wte.weight", zeros([64, 32])); // true
 * defaultDecayPredicate("ln_f.weight", zeros([32])); // false
 */
export const defaultDecayPredicate: DecayPredicate = (path, param) => param.rank >= 2 && !isNormOrBias(path);

/**
 * Hugging Face Trainer's rule by name: decay everything except parameters of LayerNorm layers and
 * parameters whose name contains "bias". HF recognises LayerNorm layers by module type; our trees have
 * no types, so a LayerNorm is recognised by its name (`ln_*`, `LayerNorm`, `layer_norm`, `*norm`).
 * @example
 * huggingFaceDecayPredicate("embeddings.LayerNorm.weight", zeros([32])); // false
 */
export const huggingFaceDecayPredicate: DecayPredicate = (path) => !isNormOrBias(path);

/**
 * The weight-decay mask of a parameter tree: dotted path → whether it is decayed. Print it to check
 * what decays; pass it (or the predicate itself) as `adamw({ mask })`.
 * @example
 * const mask = decayMask(params);
 * // { "wte.weight": true, "h.0.ln_1.weight": false, "h.0.attn.c_attn.weight": true, ... }
 * const opt = adamw({ learningRate: 6e-4, weightDecay: 0.1, mask });
 */
export const decayMask = (
  params: unknown,
  predicate: DecayPredicate = defaultDecayPredicate,
): Readonly<Record<string, boolean>> => {
  const out: Record<string, boolean> = {};
  for (const [path, param] of treeFlatten(params)) out[path] = predicate(path, param);
  return out;
};

/** Resolves a mask at one parameter; a record without an entry for `path` is an error. */
export const maskAt = (mask: DecayMask | undefined, path: string, param: Tensor): boolean => {
  if (mask === undefined) return true;
  if (typeof mask === "function") return mask(path, param);
  const decision = mask[path];
  if (decision === undefined) {
    throw new Error(
      `weight-decay mask has no entry for parameter "${path}"; build the mask from the same params with decayMask(params)`,
    );
  }
  return decision;
};
