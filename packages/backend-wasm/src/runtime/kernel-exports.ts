/**
 * The functions exported by the AssemblyScript kernel module (`assembly/index.ts`). Addresses are
 * byte offsets into the shared memory; every kernel works on one share of the problem.
 */
export interface KernelExports {
  gemmScratchBytes(): number;
  gemm(...args: number[]): void;
  attentionForward(...args: number[]): void;
  attentionBackward(...args: number[]): void;
  softmaxRows(x: number, y: number, cols: number, rowStart: number, rowEnd: number): void;
  softmaxRowsBackward(
    y: number,
    dy: number,
    dx: number,
    cols: number,
    rowStart: number,
    rowEnd: number,
  ): void;
  layerNorm(...args: number[]): void;
  layerNormBackward(...args: number[]): void;
  crossEntropy(
    logits: number,
    targets: number,
    vocab: number,
    out: number,
    lse: number,
    rowStart: number,
    rowEnd: number,
  ): void;
  crossEntropyBackward(...args: number[]): void;
  gelu(x: number, y: number, exact: number, start: number, end: number): void;
  geluBackward(x: number, dy: number, dx: number, exact: number, start: number, end: number): void;
  binary(op: number, a: number, b: number, out: number, start: number, end: number): void;
  binaryScalar(op: number, a: number, s: number, out: number, start: number, end: number): void;
  binaryRows(
    op: number,
    a: number,
    b: number,
    out: number,
    cols: number,
    rowStart: number,
    rowEnd: number,
  ): void;
  sumLastAxis(x: number, out: number, cols: number, rowStart: number, rowEnd: number): void;
  embeddingGather(
    table: number,
    ids: number,
    out: number,
    dim: number,
    rowStart: number,
    rowEnd: number,
  ): void;
  embeddingScatterAdd(...args: number[]): void;
  adamw(...args: number[]): void;
  stridedCopy(...args: number[]): void;
  binaryStrided(...args: number[]): void;
  dropoutMask(
    k0: number,
    k1: number,
    threshold: number,
    scale: number,
    out: number,
    count: number,
    wordStart: number,
    wordEnd: number,
  ): void;
}

/** Kernel names in a fixed order: the thread pool posts jobs by index into this list. */
export const kernelNames = [
  "gemm",
  "softmaxRows",
  "softmaxRowsBackward",
  "layerNorm",
  "layerNormBackward",
  "crossEntropy",
  "crossEntropyBackward",
  "gelu",
  "geluBackward",
  "binary",
  "binaryScalar",
  "binaryRows",
  "sumLastAxis",
  "embeddingGather",
  "embeddingScatterAdd",
  "adamw",
  "stridedCopy",
  "binaryStrided",
  "dropoutMask",
  "attentionForward",
  "attentionBackward",
] as const satisfies readonly (keyof KernelExports)[];

/** A kernel that the pool can run in parallel. */
export type KernelName = (typeof kernelNames)[number];
