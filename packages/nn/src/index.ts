/**
 * @scratchgrad/nn — pure layers (`init(key, config) → params`, `apply(params, inputs, ctx)` over plain
 * parameter trees), GPT-2 and BERT masked-LM models configured and initialised as Hugging Face's, and
 * checkpoints Hugging Face loads.
 */

export { checkpointBlobs, loadCheckpointBlobs } from "./checkpoint/blobs.js";
export {
  type Checkpoint,
  CONFIG_FILE,
  checkpointFromParts,
  checkpointTensors,
  checkpointTextFiles,
  WEIGHTS_FILE,
  WEIGHTS_INDEX_FILE,
} from "./checkpoint/checkpoint.js";
// checkpoints
export type { CheckpointError } from "./checkpoint/errors.js";
export { GENERATION_CONFIG_FILE, generationConfigJson } from "./checkpoint/generation-config.js";
export {
  ARCHITECTURES,
  configJson,
  type ModelType,
  type ParsedConfig,
  parseConfigJson,
  sortedJson,
  TRANSFORMERS_VERSION,
} from "./checkpoint/hf-config.js";
export { BERT_LOAD_RULES, GPT2_LOAD_RULES } from "./checkpoint/hf-names.js";
export {
  fromRawTensors,
  fromStateDict,
  type HostTensor,
  type LoadRules,
  toRawTensors,
  toStateDict,
} from "./checkpoint/state-dict.js";
export {
  type AttentionOptions,
  attention,
  causalMask,
  keyPaddingMask,
  MASK_VALUE,
  mergeHeads,
  paddingMask,
  scaledDotProductAttention,
  splitHeads,
} from "./layers/attention.js";
// layers
export { type ApplyContext, childContext, evalContext } from "./layers/context.js";
export { dropout, dropoutKey } from "./layers/dropout.js";
export { type EmbeddingConfig, type EmbeddingParams, embedding } from "./layers/embedding.js";
export { type LayerNormParams, layerNorm } from "./layers/layer-norm.js";
export {
  type LinearConfig,
  type LinearLayout,
  type LinearParams,
  type LinearSpec,
  linear,
} from "./layers/linear.js";
export { type Activation, activation, type MlpOptions, type MlpParams, mlp } from "./layers/mlp.js";
export { sinusoidalPositions } from "./layers/sinusoidal.js";
// BERT
export {
  BERT_DEFAULTS,
  BERT_PRESETS,
  type BertConfig,
  type BertPreset,
  bertConfig,
  validateBertConfig,
} from "./models/bert/config.js";
export { type BertInputs, type BertModel, type BertParams, bert, bertSpec } from "./models/bert/model.js";
// GPT-2
export {
  GPT2_DEFAULTS,
  GPT2_PRESETS,
  type Gpt2Config,
  type Gpt2Preset,
  gpt2Config,
  gpt2InnerSize,
  type InvalidConfig,
  validateGpt2Config,
} from "./models/gpt2/config.js";
export {
  type Gpt2ApplyOptions,
  type Gpt2Cache,
  type Gpt2Model,
  type Gpt2Params,
  gpt2,
  gpt2Spec,
  type LayerCache,
} from "./models/gpt2/model.js";
// parameter specs: shapes and initialisers, counted without allocating
export {
  countParams,
  type Init,
  initFromSpec,
  isParamSpec,
  mapSpec,
  normalParam,
  onesParam,
  type ParamSpec,
  type ParamsOf,
  type SpecTree,
  shapesOf,
  zerosParam,
} from "./params/spec.js";
