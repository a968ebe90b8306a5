import gpujs from "gpu.js";
import type { AnyTypedArray, DType } from "../../core/dtype.js";
import { allocTyped } from "../../core/dtype.js";
import type { Primitive, PrimitiveRule } from "../../primitives/primitive.js";
import { primitiveTable } from "../../primitives/table.js";
import type { Backend, BackendBuffer, KernelInput, KernelOutput } from "../backend.js";

// gpu.js is CommonJS (its "browser" field points bundlers at its browser build): its default import is
// module.exports under Node's ESM loader and under Vite's interop alike, where named imports are not.
const { GPU } = gpujs;

/** GPU.js modes scratchgrad drives synchronously. */
export type GpuJsMode = "cpu" | "webasm" | "headlessgl" | "webgl2" | "webgl";

type Kernel = ((...args: unknown[]) => unknown) & { destroy?: (removeCanvasReferences?: boolean) => void };

interface TextureLike {
  toArray(): Float32Array | Float32Array[];
  delete(): void;
}

const EMPTY_STAND_IN = new Float32Array(1);

const isGpuMode = (mode: GpuJsMode): boolean => mode !== "cpu" && mode !== "webasm";

/**
 * A browser page (or worker) that is cross-origin isolated. There GPU.js's webasm mode gives every
 * compiled kernel a shared WebAssembly.Memory of its own, and Chromium 156 refuses them from the first
 * kernels on ("RangeError: WebAssembly.Memory(): could not allocate memory"; measured in the browser suite).
 */
const isolatedBrowser = (): boolean =>
  typeof process === "undefined" &&
  (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;

/**
 * Compiles and runs the GPU.js kernel of each primitive, specialised per (primitive, params, input
 * shapes) and compiled once. Inputs are whatever GPU.js takes (typed arrays, or textures on the GL
 * modes); on the CPU modes the result is a Float32Array. Other backends use this runner as their
 * fallback for primitives they have no kernel of their own for.
 */
export interface GpuJsKernels {
  readonly mode: GpuJsMode;
  run<P extends Primitive>(
    primitive: P,
    inputs: readonly KernelInput[],
    params: unknown,
    output: KernelOutput,
  ): unknown;
  /** Runs the identity kernel: how host data becomes a texture on the GL modes. */
  upload(data: Float32Array): unknown;
  dispose(): void;
}

export const createGpuJsKernels = (mode: GpuJsMode): GpuJsKernels => {
  if (mode === "webasm" && isolatedBrowser()) {
    throw new Error(
      "GPU.js's webasm mode does not run on a cross-origin isolated page (each of its kernels asks for a " +
        "shared WebAssembly.Memory of its own, which the browser refuses); use @scratchgrad/backend-wasm " +
        '(createWasmBackend) or gpujsBackend("webgl2") there',
    );
  }
  const gpu = new GPU({ mode });
  const onDevice = isGpuMode(mode);
  const kernels = new Map<string, Kernel>();
  const compile = (key: string, source: string, size: number): Kernel => {
    let k = kernels.get(key);
    if (!k) {
      k = gpu.createKernel(source as never, {
        output: [size],
        precision: "single",
        tactic: "precision",
        pipeline: onDevice,
        immutable: true,
        dynamicOutput: false,
      }) as unknown as Kernel;
      kernels.set(key, k);
    }
    return k;
  };
  return {
    mode,
    run(primitive, inputs, params, output) {
      const size = output.shape.reduce((a, b) => a * b, 1);
      const key = `${primitive}|${JSON.stringify(params)}|${inputs.map((x) => `${x.dtype}[${x.shape.join(",")}]`).join(";")}|${output.dtype}`;
      let k = kernels.get(key);
      if (!k) {
        const def = primitiveTable[primitive] as unknown as PrimitiveRule<typeof primitive>;
        k = compile(key, def.gpujs(inputs, params as never, output), size);
      }
      // GPU.js cannot take zero-length arrays; an empty input is never read, so any stand-in works
      return k(...inputs.map((x) => (x.shape.includes(0) ? EMPTY_STAND_IN : x.buffer)));
    },
    upload: (data) =>
      onDevice
        ? compile(`upload:${data.length}`, "function (a) { return a[this.thread.x]; }", data.length)(data)
        : data,
    dispose() {
      for (const k of kernels.values()) k.destroy?.();
      kernels.clear();
      (gpu as unknown as { destroy?: () => void }).destroy?.();
    },
  };
};

/**
 * The GPU.js backend: every primitive runs as its GPU.js kernel. GPU.js computes in float32, so int32
 * and bool tensors are stored as floats (exact up to 2^24, plenty for token ids).
 *
 * On the CPU modes (`cpu`, `webasm`) buffers are Float32Arrays; on the GL modes they are textures
 * kept on the device (`pipeline: true`) and read back only by `read`.
 */
export const createGpuJsBackend = (mode: GpuJsMode): Backend => {
  const kernels = createGpuJsKernels(mode);
  let live = 0;
  return {
    name: `gpu.js:${mode}`,
    upload(data: AnyTypedArray): BackendBuffer {
      live++;
      const f = data instanceof Float32Array ? new Float32Array(data) : Float32Array.from(data);
      return f.length === 0 ? f : kernels.upload(f);
    },
    read(buffer: BackendBuffer, dtype: DType, size: number): AnyTypedArray {
      const floats =
        buffer instanceof Float32Array
          ? buffer
          : ((buffer as TextureLike).toArray() as Float32Array).subarray(0, size);
      if (dtype === "float32") return new Float32Array(floats);
      const out = allocTyped(dtype, size);
      for (let i = 0; i < size; i++) out[i] = Math.round(floats[i]!);
      return out;
    },
    release(buffer: BackendBuffer): void {
      live--;
      if (!(buffer instanceof Float32Array)) (buffer as TextureLike).delete();
    },
    run(primitive, inputs, params, output) {
      live++;
      return kernels.run(primitive, inputs, params, output);
    },
    liveBuffers: () => live,
    dispose: () => kernels.dispose(),
  };
};

/**
 * GPU.js modes that can run here, best first (WebGL needs a GL context; Node has none without `gl`;
 * webasm does not run on a cross-origin isolated browser page).
 */
export const availableGpuJsModes = (): GpuJsMode[] => {
  const modes: GpuJsMode[] = [];
  if (GPU.isHeadlessGLSupported) modes.push("headlessgl");
  if (GPU.isWebGL2Supported) modes.push("webgl2");
  if (GPU.isWebGLSupported) modes.push("webgl");
  if (GPU.isWebAssemblySupported && !isolatedBrowser()) modes.push("webasm");
  modes.push("cpu");
  return modes;
};
