import { record, recordingDepth } from "../autodiff/tape.js";
import type { FusedName, FusedParams } from "../backends/backend.js";
import type { AbstractValue } from "../primitives/primitive.js";
import { kernelInput, tensorOnBuffer } from "./kernel-buffers.js";
import { addProfileSample, isProfiling } from "./profile.js";
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
  for (const x of inputs) x.assertAlive(name);
  const kin = inputs.map(kernelInput);
  if (!kernel.supports(kin, params)) return reference();
  const start = isProfiling() ? performance.now() : 0;
  const res = kernel.forward(kin, params, output);
  if (start) addProfileSample(`${name} (fused)`, performance.now() - start);
  const out = tensorOnBuffer(backend, res.output, output.shape, output.dtype);
  const saved = res.saved.map((s) => tensorOnBuffer(backend, s.buffer, s.shape, s.dtype));
  if (output.dtype === "float32") {
    record({
      kind: "fused",
      name,
      inputs,
      output: out,
      saved,
      vjp: (g) => {
        const t0 = isProfiling() ? performance.now() : 0;
        const cts = kernel.backward(kernelInput(g), kin, kernelInput(out), saved.map(kernelInput), params);
        if (t0) addProfileSample(`${name} backward (fused)`, performance.now() - t0);
        return cts.map((b, i) =>
          b === null ? null : tensorOnBuffer(backend, b, inputs[i]!.shape, "float32"),
        );
      },
    });
  }
  return out;
};
