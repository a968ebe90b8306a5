import type { Backend } from "../backends/backend.js";
import { tensorBrand } from "./brand.js";
import type { AnyTypedArray, DType } from "./dtype.js";
import { DisposedTensorError } from "./errors.js";
import { formatTensor } from "./format.js";
import { trackInScope } from "./memory.js";
import { type Shape, sizeOf } from "./shape.js";
import type { Storage } from "./storage.js";

// Backstop for tensors created outside any scope and never disposed: when the garbage collector
// finalises the Tensor object, its reference on the storage is dropped.
const finalizer = new FinalizationRegistry<Storage>((storage) => storage.releaseRef());

/** Nested number arrays, as `toArray()` returns and `tensor()` accepts. */
export type NestedArray = number | NestedArray[];

/**
 * An immutable n-dimensional array. Its elements live in a backend buffer; every operation returns a
 * new tensor. Build tensors with `tensor`, `zeros`, `ones`, `full`, `arange` or the random functions.
 * @example
 * const x = tensor([[1, 2], [3, 4]]);
 * x.shape; // [2, 2]
 * x.toArray(); // [[1, 2], [3, 4]]
 */
export class Tensor {
  /** @internal How `isTensor` recognises a tensor without importing this class. */
  readonly [tensorBrand] = true;
  readonly size: number;
  private disposed = false;

  /** @internal Use the creation functions instead. */
  constructor(
    /** @internal */ readonly storage: Storage,
    readonly shape: Shape,
    readonly dtype: DType,
  ) {
    this.size = sizeOf(shape);
    storage.retain();
    finalizer.register(this, storage, this);
    trackInScope(this);
  }

  get rank(): number {
    return this.shape.length;
  }

  get backend(): Backend {
    return this.storage.backend;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** @internal Throws a clear error when an operation receives a disposed tensor. */
  assertAlive(op: string): void {
    if (this.disposed || this.storage.released) throw new DisposedTensorError(op, this.shape);
  }

  /** A fresh copy of the elements in row-major order (Float32Array, Int32Array or Uint8Array). */
  data(): AnyTypedArray {
    this.assertAlive("data");
    return this.backend.read(this.storage.buffer, this.dtype, this.size);
  }

  /** The elements as nested arrays of numbers. */
  toArray(): NestedArray {
    const flat = Array.from(this.data());
    if (this.rank === 0) return flat[0]!;
    const build = (dim: number, offset: number): NestedArray[] => {
      const n = this.shape[dim]!;
      const inner = sizeOf(this.shape.slice(dim + 1));
      if (dim === this.rank - 1) return flat.slice(offset, offset + n);
      return Array.from({ length: n }, (_, i) => build(dim + 1, offset + i * inner));
    };
    return build(0, 0);
  }

  /** The single element of a one-element tensor, as a number. */
  item(): number {
    if (this.size !== 1) throw new TypeError(`item(): tensor has ${this.size} elements, expected 1`);
    return this.data()[0]!;
  }

  /** Releases this tensor's reference on its buffer. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    finalizer.unregister(this);
    this.storage.releaseRef();
  }

  toString(): string {
    if (this.disposed) return `Tensor(disposed, shape=[${this.shape.join(", ")}], dtype=${this.dtype})`;
    return formatTensor(this.shape, this.dtype, this.data());
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}
