/**
 * Replays recorded kernel calls on GPU.js's WebGPU mode (WGSL compute shaders): each primitive's GPU.js
 * kernel, compiled from the same source the other modes run, on the recorded inputs, compared with the
 * recorded result.
 */
import { type PrimitiveRule, primitiveTable } from "@scratchgrad/tensor";
import gpujs from "gpu.js";
import type { KernelCall } from "./record.js";

/** A primitive's replayed calls: how many, the largest difference from the recorded result, failures. */
export interface ReplaySummary {
  readonly primitive: string;
  calls: number;
  maxError: number;
  readonly failures: string[];
}

type AsyncKernel = (...args: unknown[]) => Promise<Float32Array | number[]>;
type GpuLike = { createKernel(source: string, settings: object): AsyncKernel; destroy?(): void };
const { GPU } = gpujs as unknown as { GPU: new (settings: { mode: string }) => GpuLike };

const EMPTY_STAND_IN = new Float32Array(1);

/**
 * Replays `calls` on WebGPU; a result differs when |webgpu − recorded| > atol + rtol·|recorded|
 * (integer and bool outputs are compared after rounding, as the backend reads them).
 */
export const replayOnWebGpu = async (
  calls: readonly KernelCall[],
  { atol = 1e-5, rtol = 1e-4 } = {},
): Promise<ReplaySummary[]> => {
  const gpu = new GPU({ mode: "webgpu" });
  const byPrimitive = new Map<string, ReplaySummary>();
  try {
    for (const call of calls) {
      const size = call.output.shape.reduce((a, b) => a * b, 1);
      if (size === 0) continue;
      let summary = byPrimitive.get(call.primitive);
      if (!summary) {
        summary = { primitive: call.primitive, calls: 0, maxError: 0, failures: [] };
        byPrimitive.set(call.primitive, summary);
      }
      summary.calls++;
      const shapes = `${call.inputs.map((x) => `[${x.shape}]`).join(" ")} -> [${call.output.shape}]`;
      try {
        const rule = primitiveTable[call.primitive] as unknown as PrimitiveRule<typeof call.primitive>;
        const source = rule.gpujs(call.inputs as never, call.params as never, call.output as never);
        const kernel = gpu.createKernel(source, { output: [size], precision: "single", tactic: "precision" });
        const got = await kernel(...call.inputs.map((x) => (x.data.length === 0 ? EMPTY_STAND_IN : x.data)));
        const exact = call.output.dtype !== "float32";
        for (let i = 0; i < size; i++) {
          const want = call.result[i]!;
          const value = exact ? Math.round(got[i]!) : got[i]!;
          const error = Math.abs(value - want);
          if (error > summary.maxError) summary.maxError = error;
          if (!(error <= atol + rtol * Math.abs(want))) {
            summary.failures.push(`${shapes}: element ${i} is ${value}, the cpu mode gave ${want}`);
            break;
          }
        }
      } catch (e) {
        summary.failures.push(`${shapes}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  } finally {
    gpu.destroy?.();
  }
  return [...byPrimitive.values()].sort((a, b) => a.primitive.localeCompare(b.primitive));
};
