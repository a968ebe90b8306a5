/** The transformer's position-wise feed-forward block: project up, activate, project down, dropout. */
import { gelu, relu, type Tensor } from "@scratchgrad/tensor";
import type { ApplyContext } from "./context.js";
import { dropout } from "./dropout.js";
import { type LinearLayout, type LinearParams, linear } from "./linear.js";

/** Activation names as Hugging Face configs spell them (`activation_function`, `hidden_act`). */
export type Activation = "gelu" | "gelu_new" | "gelu_pytorch_tanh" | "relu";

/** Applies a Hugging Face activation: `gelu` is the exact erf form, `gelu_new` the tanh approximation. */
export const activation = (name: Activation, x: Tensor): Tensor => {
  switch (name) {
    case "gelu":
      return gelu(x, "none");
    case "gelu_new":
    case "gelu_pytorch_tanh":
      return gelu(x, "tanh");
    case "relu":
      return relu(x);
  }
};

/** The two projections: `fc` [C → hidden] and `proj` [hidden → C]. */
export interface MlpParams {
  readonly fc: LinearParams;
  readonly proj: LinearParams;
}

/** Weight layout, activation and output dropout of `mlp`. @example { layout: "out-in", activation: "gelu" } */
export interface MlpOptions {
  readonly layout: LinearLayout;
  readonly activation: Activation;
  /** Dropout after the down projection (`resid_pdrop`, `hidden_dropout_prob`). */
  readonly dropoutP?: number;
}

/**
 * dropout(proj(act(fc(x)))). The projections are passed by role so each model keeps HF's names:
 * GPT-2 passes `{ fc: mlp.c_fc, proj: mlp.c_proj }`, BERT `{ fc: intermediate.dense, proj: output.dense }`.
 * @example const y = mlp({ fc: p.mlp.c_fc, proj: p.mlp.c_proj }, x, { layout: "in-out", activation: "gelu_new" }, ctx);
 */
export const mlp = (params: MlpParams, x: Tensor, options: MlpOptions, ctx: ApplyContext): Tensor => {
  const h = activation(options.activation, linear.apply(params.fc, x, options.layout)); // [B, T, hidden]
  return dropout(linear.apply(params.proj, h, options.layout), options.dropoutP ?? 0, ctx); // [B, T, C]
};
