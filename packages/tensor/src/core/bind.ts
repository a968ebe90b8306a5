import { record } from "../autodiff/tape.js";
import { currentBackend } from "../backends/select.js";
import type { Primitive, PrimitiveParams, PrimitiveRule } from "../primitives/primitive.js";
import { primitiveTable } from "../primitives/table.js";
import { allocTyped } from "./dtype.js";
import { kernelInput, runKernel } from "./run-kernel.js";
import { Tensor } from "./tensor.js";

/**
 * Applies a primitive: checks shapes with its rule, runs its kernel on the inputs' backend (through
 * `runKernel`, the one path by which the core calls a backend), and records it on the active autodiff
 * tapes. Fused ops (`core/fused.ts`) are the other way onto the tape.
 */
export const bind = <P extends Primitive>(
  primitive: P,
  inputs: readonly Tensor[],
  params: PrimitiveParams[P],
): Tensor => {
  for (const x of inputs) x.assertAlive(primitive);
  const def = primitiveTable[primitive] as unknown as PrimitiveRule<P>;
  const out = def.abstractEval(inputs, params);
  const backend = inputs[0]?.backend ?? currentBackend();
  for (const x of inputs) {
    if (x.backend !== backend) {
      throw new Error(
        `${primitive}: inputs live on different backends (${backend.name} and ${x.backend.name}); move one with toBackend`,
      );
    }
  }
  const result = def.aliases
    ? new Tensor(inputs[0]!.storage, out.shape, out.dtype)
    : runKernel(primitive, backend, out, () =>
        out.shape.includes(0)
          ? backend.upload(allocTyped(out.dtype, 0), out.dtype)
          : backend.run(primitive, inputs.map(kernelInput), params, out),
      );
  if (def.differentiable !== false && out.dtype === "float32")
    record({ primitive, params, inputs, output: result });
  return result;
};
