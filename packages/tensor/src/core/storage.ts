import type { Backend, BackendBuffer } from "../backends/backend.js";

/**
 * One backend buffer and the number of tensors that use it. Several tensors share a storage when an
 * operation only changes how elements are viewed (reshape, stopGradient, autodiff leaves); the buffer
 * is released when the last of them is disposed. This is the whole ownership policy: rules and kernels
 * never free anything.
 */
export class Storage {
  private refs = 0;
  constructor(
    readonly backend: Backend,
    private handle: BackendBuffer | null,
    readonly size: number,
  ) {}

  get buffer(): BackendBuffer {
    return this.handle;
  }

  get released(): boolean {
    return this.handle === null;
  }

  retain(): void {
    this.refs++;
  }

  releaseRef(): void {
    if (this.handle === null) return;
    this.refs--;
    if (this.refs <= 0) {
      this.backend.release(this.handle);
      this.handle = null;
    }
  }
}
