/**
 * Recording the kernel calls a synchronous backend makes, to replay them on GPU.js's WebGPU mode, whose
 * kernels return Promises (the engine cannot await them): each recorded call keeps its primitive,
 * parameters, input data and the result the recorded backend gave.
 */
import type { Backend, Primitive } from "@scratchgrad/tensor";

/** One kernel call and what it returned. */
export interface KernelCall {
  readonly primitive: Primitive;
  readonly params: unknown;
  readonly inputs: readonly {
    readonly shape: readonly number[];
    readonly dtype: string;
    readonly data: Float32Array;
  }[];
  readonly output: { readonly shape: readonly number[]; readonly dtype: string };
  readonly result: Float32Array;
}

/**
 * `inner` (a GPU.js backend on a CPU mode, whose buffers are Float32Arrays) with every kernel call
 * recorded in `calls`, at most `perKernel` per distinct kernel (primitive, parameters, shapes, dtypes).
 */
export const recordingBackend = (inner: Backend, calls: KernelCall[], perKernel = 2): Backend => {
  const seen = new Map<string, number>();
  return {
    ...inner,
    name: `${inner.name} (recorded)`,
    run(primitive, inputs, params, output) {
      const result = inner.run(primitive, inputs, params, output) as Float32Array;
      const key = `${primitive}|${JSON.stringify(params)}|${inputs.map((x) => `${x.dtype}[${x.shape}]`).join(";")}|${output.dtype}`;
      const count = seen.get(key) ?? 0;
      if (count < perKernel) {
        seen.set(key, count + 1);
        calls.push({
          primitive,
          params,
          inputs: inputs.map((x) => ({
            shape: x.shape,
            dtype: x.dtype,
            data: Float32Array.from(x.buffer as Float32Array),
          })),
          output: { shape: output.shape, dtype: output.dtype },
          result: Float32Array.from(result),
        });
      }
      return result;
    },
  };
};
