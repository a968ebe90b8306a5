/**
 * @scratchgrad/optim — optax-style gradient transformations over pytrees: AdamW with PyTorch's
 * numbers, SGD, Adam, weight-decay masks, global-norm clipping, gradient accumulation, learning-rate
 * schedules. Saving and resuming optimizer state (files on disk) is Node's: ./node.ts.
 */

export { type AccumulateState, accumulate, multiSteps } from "./accumulate.js";
export { applyUpdates, chain, identity } from "./combine.js";
// weight-decay masks
export {
  type DecayMask,
  type DecayPredicate,
  decayMask,
  defaultDecayPredicate,
  huggingFaceDecayPredicate,
  isNormOrBias,
} from "./mask.js";
// Muon, and routing parameters to different transformations
export {
  type LabelTree,
  labelByPath,
  type MultiTransformState,
  multiTransform,
  type ParamLabels,
} from "./multi-transform.js";
export {
  huggingFaceLayout,
  isHiddenMatrix,
  type MuonOptions,
  type MuonWithAdamWOptions,
  muon,
  muonWithAdamW,
} from "./muon.js";
// optimizers
export {
  type AdamOptimizerOptions,
  type AdamWOptions,
  adam,
  adamw,
  type SgdOptions,
  sgd,
} from "./optimizers.js";
// schedules
export {
  type CosineWarmupDecayOptions,
  constant,
  constantWarmup,
  cosineWarmupDecay,
  linearWarmupDecay,
  type WarmupDecayOptions,
} from "./schedules.js";
export { type AdamOptions, type AdamState, scaleByAdam } from "./transforms/adam.js";
export {
  type ClipByGlobalNormState,
  clipByGlobalNorm,
  globalNorm,
  lastGlobalNorm,
} from "./transforms/clip.js";
export { addDecayedWeights } from "./transforms/decay.js";
// AdamW's fused update, for backends that supply a kernel for it
export type { AdamWState, AdamWUpdateParams } from "./transforms/fused-adamw.js";
export {
  type MatrixLayout,
  type MuonScaling,
  type MuonState,
  muonScale,
  type ScaleByMuonOptions,
  scaleByMuon,
} from "./transforms/muon.js";
export {
  NEWTON_SCHULZ_COEFFICIENTS,
  type NewtonSchulzOptions,
  newtonSchulz,
} from "./transforms/newton-schulz.js";
// transformations
export { type ScheduleState, scale, scaleByLearningRate, scaleBySchedule } from "./transforms/scale.js";
export { type TraceState, trace } from "./transforms/trace.js";
export type { EmptyState, GradientTransformation, Json, LearningRate, Schedule, StateOf } from "./types.js";
