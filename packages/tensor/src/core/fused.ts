import { isRecording, record, recordingDepth } from "../autodiff/tape.js";
import type { FusedName, FusedParams, FusedUpdateKernel, SavedBuffer } from "../backends/backend.js";
import type { AbstractValue } from "../primitives/primitive.js";
import { kernelInput, kernelInputs, ownBuffer, runKernel } from "./run-kernel.js";
import type { Tensor } from "./tensor.js";

/**
 * Runs a composite as its backend's fused kernel when the backend has one for these inputs, else as
 * `reference` (its primitive decomposition). A fused run is recorded on the tape as one node whose
 * VJP is the backend's fused backward kernel. Under nested differentiation the decomposition always
 * runs, since fused backward kernels are not themselves differentiable.
 */
export const fused = <N extends FusedName>(
  name: N,
  inputs: readonly Tensor[],
  params: FusedParams[N],
  output: AbstractValue,
  reference: () => Tensor,
): Tensor => {
  const backend = inputs[0]!.backend;
  const kernel = backend.fused?.[name];
  if (!kernel || recordingDepth() > 1 || inputs.some((x) => x.backend !== backend)) return reference();
  const kin = kernelInputs(name, inputs);
  if (!kernel.supports(kin, params)) return reference();
  let savedBuffers: readonly SavedBuffer[] = [];
  const out = runKernel(`${name} (fused)`, backend, output, () => {
    const res = kernel.forward(kin, params, output);
    savedBuffers = res.saved;
    return res.output;
  });
  // what the forward kernel keeps for the backward one (e.g. layerNorm's mean and 1/σ), shaped by it
  const saved = savedBuffers.map((s) => ownBuffer(backend, s.buffer, s));
  if (output.dtype === "float32") {
    record({
      kind: "fused",
      name,
      inputs,
      output: out,
      saved,
      // cotangents shaped like the inputs (float32); null for inputs that take none
      vjp: (g) =>
        runKernel(`${name} backward (fused)`, backend, inputs, () =>
          kernel.backward(kernelInput(g), kin, kernelInput(out), saved.map(kernelInput), params),
        ),
    });
  }
  return out;
};

/**
 * Runs a named update — a non-differentiable step such as an optimizer's on one parameter, whose math
 * and `Params` belong to the package that calls this — as its backend's fused kernel
 * (`Backend.fusedUpdates[name]`) when it has one for these inputs, else as `reference`, the caller's
 * decomposition into operations. While a `vjp` records, the reference runs, so gradients through an
 * update still work. Returns new tensors with the abstract values of `outputs`; inputs stay untouched.
 * @example
 * // optim's AdamW step on one parameter: [update, mu, nu]
 * const [update, mu, nu] = fusedUpdate("adamw", [p, g, m, v], scalars, [p, p, p], () => chainStep(p, g, m, v));
 */
export const fusedUpdate = <Params>(
  name: string,
  inputs: readonly Tensor[],
  params: Params,
  outputs: readonly AbstractValue[],
  reference: () => readonly Tensor[],
): readonly Tensor[] => {
  const backend = inputs[0]!.backend;
  // The name is the contract: the backend typed its kernel with the owner's Params.
  const kernel: FusedUpdateKernel<Params> | undefined = backend.fusedUpdates?.[name];
  if (!kernel || isRecording() || inputs.some((x) => x.backend !== backend)) return reference();
  const kin = kernelInputs(name, inputs);
  if (!kernel.supports(kin, params)) return reference();
  // an update kernel returns a buffer for every output
  return runKernel(`${name} (fused)`, backend, outputs, () => kernel.run(kin, params, outputs)) as Tensor[];
};
