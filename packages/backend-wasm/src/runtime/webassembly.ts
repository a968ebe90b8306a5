// The few WebAssembly JS API types this package uses. The repository compiles without the DOM lib
// and @types/node does not declare the `WebAssembly` namespace, so it is typed here, once.

/** A shared WebAssembly memory (`new WasmMemory({ shared: true, ... })`). */
export interface WasmMemory {
  /** The current backing store; a new object after every `grow`. */
  readonly buffer: SharedArrayBuffer;
  /** Grows by `deltaPages` 64 KiB pages; returns the old size in pages, throws RangeError past the maximum. */
  grow(deltaPages: number): number;
}

/** A compiled WebAssembly module (opaque; can be posted to workers). */
export interface WasmModule {
  readonly __wasmModule: unique symbol;
}

interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: Record<string, unknown> };
  compile(bytes: Uint8Array): Promise<WasmModule>;
  validate(bytes: Uint8Array): boolean;
}

/** The global `WebAssembly` object with the types above. */
export const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
