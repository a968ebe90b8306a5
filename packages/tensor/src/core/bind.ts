import { record } from "../autodiff/tape.js";
import { currentBackend } from "../backends/select.js";
import type { Primitive, PrimitiveParams, PrimitiveRule } from "../primitives/primitive.js";
import { primitiveTable } from "../primitives/table.js";
import { allocTyped } from "./dtype.js";
import { kernelInput, tensorOnBuffer } from "./kernel-buffers.js";
import { addProfileSample, isProfiling } from "./profile.js";
import { Tensor } from "./tensor.js";

/**
 * Applies a primitive: checks shapes with its rule, runs its kernel on the inputs' backend, and
 * records it on the active autodiff tapes. Every primitive application ends here; a backend's fused
 * kernels (`core/fused.ts`), fused updates (`composites/adamw.ts`) and dropout masks
 * (`composites/dropout.ts`) are dispatched by those modules.
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
  let result: Tensor;
  if (def.aliases) {
    result = new Tensor(inputs[0]!.storage, out.shape, out.dtype);
  } else {
    const start = isProfiling() ? performance.now() : 0;
    const buffer = out.shape.includes(0)
      ? backend.upload(allocTyped(out.dtype, 0), out.dtype)
      : backend.run(primitive, inputs.map(kernelInput), params, out);
    if (start) addProfileSample(primitive, performance.now() - start);
    result = tensorOnBuffer(backend, buffer, out.shape, out.dtype);
  }
  if (def.differentiable !== false && out.dtype === "float32")
    record({ primitive, params, inputs, output: result });
  return result;
};
