/**
 * @scratchgrad/lm-objectives — the two language-modelling objectives of the lab: causal LM (GPT-2)
 * and dynamically masked LM (BERT), with perplexities.
 */
export { causalLmLoss, IGNORE_INDEX, shiftLabels } from "./causal.js";
export {
  type MaskedBatch,
  type MaskingOptions,
  maskedBatchTensors,
  maskedLmLoss,
  maskTokens,
} from "./masked.js";
export { perplexity, wordPerplexity } from "./perplexity.js";
