// Entry point of the kernel module. Every export takes raw byte addresses into the shared memory and
// plain numbers, and works on one thread's share of the problem (a row, column or element range), so
// the JS side hands shares to worker threads without any kernel knowing about threads.
export { adamw } from "./adamw";
export { crossEntropy, crossEntropyBackward } from "./cross-entropy";
export { dropoutMask } from "./dropout-mask";
export { binary, binaryRows, binaryScalar, sumLastAxis } from "./elementwise";
export { embeddingGather, embeddingScatterAdd } from "./embedding";
export { gelu, geluBackward } from "./gelu";
export { gemm, gemmScratchBytes } from "./gemm";
export { layerNorm, layerNormBackward } from "./layernorm";
export { softmaxRows, softmaxRowsBackward } from "./softmax";
export { binaryStrided, stridedCopy } from "./strided";
export { attentionBackward, attentionForward } from "./attention";
