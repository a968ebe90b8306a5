import type { WasmRuntime } from "../src/runtime/create-runtime.js";

/** The value of `--name=value` on the command line, or `fallback`. @example argument("repeats", "15") */
export const argument = (name: string, fallback: string): string =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;

/** Allocates `n` f32 in the runtime's memory, filled with a smooth deterministic pattern; returns the address. */
export function filled(rt: WasmRuntime, n: number): number {
  const ptr = rt.alloc(n * 4);
  const view = rt.f32(ptr, n);
  for (let i = 0; i < n; i++) view[i] = Math.sin(i * 0.37) * 0.5;
  return ptr;
}
