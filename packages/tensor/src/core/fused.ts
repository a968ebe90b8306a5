import { record, recordingDepth } from "../autodiff/tape.js";
import type { FusedName, FusedParams, KernelInput } from "../backends/backend.js";
import type { AbstractValue } from "../primitives/primitive.js";
import { addProfileSample, isProfiling } from "./profile.js";
import { Storage } from "./storage.js";
import { Tensor } from "./tensor.js";

const asInput = (t: Tensor): KernelInput => ({ buffer: t.storage.buffer, shape: t.shape, dtype: t.dtype });

const wrap = (
  t: { buffer: unknown; shape: readonly number[]; dtype: Tensor["dtype"] },
  backend: Tensor["backend"],
): Tensor =>
  new Tensor(
    new Storage(
      backend,
      t.buffer,
      t.shape.reduce((a, b) => a * b, 1),
    ),
    [...t.shape],
    t.dtype,
  );

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
  const kin = inputs.map(asInput);
  if (!kernel.supports(kin, params)) return reference();
  const start = isProfiling() ? performance.now() : 0;
  const res = kernel.forward(kin, params, output);
  if (start) addProfileSample(`${name} (fused)`, performance.now() - start);
  const out = wrap({ buffer: res.output, shape: output.shape, dtype: output.dtype }, backend);
  const saved = res.saved.map((s) => wrap(s, backend));
  if (output.dtype === "float32") {
    record({
      kind: "fused",
      name,
      inputs,
      output: out,
      saved,
      vjp: (g) => {
        const t0 = isProfiling() ? performance.now() : 0;
        const cts = kernel.backward(asInput(g), kin, asInput(out), saved.map(asInput), params);
        if (t0) addProfileSample(`${name} backward (fused)`, performance.now() - t0);
        return cts.map((b, i) =>
          b === null ? null : wrap({ buffer: b, shape: inputs[i]!.shape, dtype: "float32" }, backend),
        );
      },
    });
  }
  return out;
};
