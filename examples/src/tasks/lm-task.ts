import type { LmModel, LmTask } from "../train/task.js";
import { causalLmTask } from "./causal-lm.js";
import { maskedLmTask } from "./masked-lm.js";

/**
 * The trainer's task for a model: the causal LM for GPT-2, the masked LM for BERT.
 * @example lmTaskOf({ kind: "gpt2", config: gpt2Config("gpt2-tiny") }).parameterCount
 */
export const lmTaskOf = (model: LmModel): LmTask<unknown> => {
  switch (model.kind) {
    case "gpt2":
      return causalLmTask(model.config, model) as LmTask<unknown>;
    case "bert":
      return maskedLmTask(model.config, model.maskTokenId, model) as LmTask<unknown>;
  }
};
