import { Worker } from "node:worker_threads";
import { type KernelExports, type KernelName, kernelNames } from "./kernel-exports.js";
import type { WasmMemory, WasmModule } from "./webassembly.js";

const SLOT_INTS = 32; // one 128-byte slot per worker: no false sharing between workers
const MAX_ARGS = 32;
const SEQ = 0;
const DONE = 1;
const KERNEL = 2;
const ARGC = 3;
const ERROR = 4;

/**
 * A fixed set of participants (the main thread plus `size - 1` workers) that run kernel shares
 * synchronously: `run` posts shares 1.. to the workers, runs share 0 on the calling thread, then waits
 * for the rest. Work is handed over through shared memory only (no postMessage per call).
 */
export interface ThreadPool {
  /** Participants, counting the main thread. */
  readonly size: number;
  /**
   * Runs `kernel` once per share; `shares[0]` runs on the calling thread, `shares[t]` on worker t.
   * Fewer shares than `size` leaves the remaining workers asleep.
   */
  run(kernel: KernelName, shares: readonly (readonly number[])[]): void;
  /** Stops the workers; the pool cannot run anything afterwards. */
  dispose(): Promise<void>;
}

/** Options for {@link createThreadPool}. */
export interface ThreadPoolOptions {
  readonly module: WasmModule;
  readonly memory: WasmMemory;
  /** The calling thread's instance of the kernel module. */
  readonly exports: KernelExports;
  readonly size: number;
  /** Polls of the job word before a thread blocks in Atomics.wait (bounded spinning). */
  readonly spinIterations?: number;
}

/**
 * Starts `size - 1` workers that instantiate the kernel module over the same shared memory.
 * Workers are `unref`ed so a forgotten pool never keeps node alive.
 *
 * @example
 * const pool = await createThreadPool({ module, memory, exports, size: 2 });
 * pool.run("gelu", [[x, y, 0, 0, half], [x, y, 0, half, n]]);
 * await pool.dispose();
 */
export async function createThreadPool(options: ThreadPoolOptions): Promise<ThreadPool> {
  const { module, memory, exports, size } = options;
  const spinIterations = options.spinIterations ?? 20_000;
  const control = new SharedArrayBuffer(size * SLOT_INTS * 4);
  const argBuffer = new SharedArrayBuffer(size * MAX_ARGS * 8);
  const ctrl = new Int32Array(control);
  const args = new Float64Array(argBuffer);
  const kernelIndex = new Map<string, number>(kernelNames.map((name, i) => [name, i]));
  const workerUrl = new URL("../../worker/pool-worker.mjs", import.meta.url);
  const workers: Worker[] = [];
  const seqs = new Int32Array(size);
  let disposed = false;

  const ready: Promise<void>[] = [];
  for (let index = 1; index < size; index++) {
    const worker = new Worker(workerUrl, {
      // Workers inherit node's flags; `--input-type` (from `node -e`) is refused for a file entry.
      execArgv: process.execArgv.filter((arg) => !arg.startsWith("--input-type")),
      workerData: { module, memory, control, args: argBuffer, index, kernelNames, spinIterations },
    });
    worker.unref();
    workers.push(worker);
    ready.push(
      new Promise((resolve, reject) => {
        worker.once("message", () => resolve());
        worker.once("error", reject);
        worker.once("exit", (code) =>
          reject(new Error(`backend-wasm: worker ${index} exited with code ${code}`)),
        );
      }),
    );
  }
  try {
    await Promise.all(ready);
  } catch (error) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw error;
  }
  for (const worker of workers) worker.removeAllListeners();

  function waitDone(index: number, seq: number): void {
    const at = index * SLOT_INTS + DONE;
    for (let spin = 0; ; spin++) {
      const done = Atomics.load(ctrl, at);
      if (done === seq) return;
      if (spin >= spinIterations) Atomics.wait(ctrl, at, done, 1000);
    }
  }

  function run(kernel: KernelName, shares: readonly (readonly number[])[]): void {
    if (disposed) throw new Error("backend-wasm: the runtime was disposed; create a new one");
    if (shares.length > size) {
      throw new Error(`backend-wasm: ${shares.length} shares for a pool of ${size} threads`);
    }
    const id = kernelIndex.get(kernel)!;
    for (let t = 1; t < shares.length; t++) {
      const share = shares[t]!;
      const base = t * SLOT_INTS;
      for (let i = 0; i < share.length; i++) args[t * MAX_ARGS + i] = share[i]!;
      ctrl[base + KERNEL] = id;
      ctrl[base + ARGC] = share.length;
      const seq = (seqs[t]! + 1) & 0x3fffffff;
      seqs[t] = seq;
      Atomics.store(ctrl, base + SEQ, seq);
      Atomics.notify(ctrl, base + SEQ, 1);
    }
    let mainError: unknown;
    try {
      if (shares.length > 0) (exports[kernel] as (...a: number[]) => void)(...shares[0]!);
    } catch (error) {
      mainError = error;
    }
    let failedWorker = 0;
    for (let t = 1; t < shares.length; t++) {
      waitDone(t, seqs[t]!);
      if (ctrl[t * SLOT_INTS + ERROR] !== 0) {
        ctrl[t * SLOT_INTS + ERROR] = 0;
        failedWorker = t;
      }
    }
    if (mainError !== undefined) {
      throw new Error(`backend-wasm: kernel ${kernel} failed on the main thread: ${String(mainError)}`, {
        cause: mainError,
      });
    }
    if (failedWorker !== 0) {
      throw new Error(
        `backend-wasm: kernel ${kernel} trapped on worker ${failedWorker} (an address out of bounds?)`,
      );
    }
  }

  async function dispose(): Promise<void> {
    if (disposed) return;
    disposed = true;
    for (let t = 1; t < size; t++) {
      Atomics.store(ctrl, t * SLOT_INTS + SEQ, -1);
      Atomics.notify(ctrl, t * SLOT_INTS + SEQ);
    }
    await Promise.all(workers.map((w) => w.terminate()));
  }

  return { size, run, dispose };
}
