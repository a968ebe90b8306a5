export * as backendWasm from "@scratchgrad/backend-wasm";
export * as datasets from "@scratchgrad/datasets";
export * as lmObjectives from "@scratchgrad/lm-objectives";
export * as nn from "@scratchgrad/nn";
export * as optim from "@scratchgrad/optim";
export * as tensor from "@scratchgrad/tensor";
export * as tokenizer from "@scratchgrad/tokenizer";
