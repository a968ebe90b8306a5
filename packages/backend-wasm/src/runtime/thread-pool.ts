import { platform } from "#platform";
import { spinWaiter } from "../../worker/spin-wait.mjs";
import { type KernelExports, type KernelName, kernelNames } from "./kernel-exports.js";
import type { PoolWorker } from "./platform.js";
import type { WasmMemory, WasmModule } from "./webassembly.js";

const SLOT_INTS = 32; // one 128-byte slot per worker: no false sharing between workers
const MAX_ARGS = 32;
const SEQ = 0;
const DONE = 1;
const KERNEL = 2;
const ARGC = 3;
const ERROR = 4;
const CHUNKS = 5;
const CHUNK_SIZE = 6;
const CHUNK_TOTAL = 7;
const CLAIM = 8;
const RUNNING = 0x40000000;
const CANCELLED = -2;
const COUNTER = 0; // the chunk counter lives in slot 0 (the main thread's, otherwise unused)

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
  /**
   * Runs `kernel(...args, start, end)` over [0, total) in `chunkCount` chunks of `chunkSize`, which
   * `participants` threads (the caller included) claim from a shared counter: a thread that wakes
   * late or shares its core with another process takes fewer chunks instead of stalling the call.
   */
  runChunks(
    kernel: KernelName,
    args: readonly number[],
    total: number,
    chunkSize: number,
    participants: number,
  ): void;
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
  /**
   * Most polls of a shared word before a thread blocks in Atomics.wait (the budget adapts below it,
   * and a poll phase also ends after ~60 µs of wall time: see worker/spin-wait.mjs).
   */
  readonly spinIterations?: number;
}

/**
 * Starts `size - 1` workers (worker threads under Node, Web Workers in a browser) that instantiate the
 * kernel module over the same shared memory. Under Node they are `unref`ed so a forgotten pool never
 * keeps node alive; on a browser page's main thread, which may not block, waits poll.
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
  const seqs = new Int32Array(size);
  let disposed = false;

  const workers: PoolWorker[] = [];
  for (let index = 1; index < size; index++) {
    workers.push(
      platform.startWorker({ module, memory, control, args: argBuffer, index, kernelNames, spinIterations }),
    );
  }
  try {
    await Promise.all(workers.map((w) => w.ready));
  } catch (error) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw error;
  }

  const waitWhileEqual = spinWaiter({ maxPolls: spinIterations, canBlock: platform.canBlock() });
  function waitDone(index: number, seq: number): void {
    const at = index * SLOT_INTS + DONE;
    for (let done = Atomics.load(ctrl, at); done !== seq; ) done = waitWhileEqual(ctrl, at, done);
  }

  function post(
    t: number,
    id: number,
    share: readonly number[],
    chunks: number,
    chunkSize: number,
    total: number,
  ) {
    const base = t * SLOT_INTS;
    for (let i = 0; i < share.length; i++) args[t * MAX_ARGS + i] = share[i]!;
    ctrl[base + KERNEL] = id;
    ctrl[base + ARGC] = share.length;
    ctrl[base + CHUNKS] = chunks;
    ctrl[base + CHUNK_SIZE] = chunkSize;
    ctrl[base + CHUNK_TOTAL] = total;
    const seq = (seqs[t]! + 1) & 0x3fffffff;
    seqs[t] = seq;
    Atomics.store(ctrl, base + CLAIM, seq);
    Atomics.store(ctrl, base + SEQ, seq);
    Atomics.notify(ctrl, base + SEQ, 1);
  }

  /**
   * Waits for workers 1..count-1, then reports the first failure (main thread first). A worker that
   * has not started its job yet (asleep, or descheduled on a busy machine) is cancelled instead, and
   * `takeOver(t)` does its share on the calling thread: no waiting on the scheduler.
   */
  function finish(
    kernel: KernelName,
    count: number,
    mainError: unknown,
    takeOver?: (t: number) => void,
  ): void {
    let failedWorker = 0;
    for (let t = 1; t < count; t++) {
      const seq = seqs[t]!;
      const claim = Atomics.compareExchange(ctrl, t * SLOT_INTS + CLAIM, seq, CANCELLED);
      if (claim === seq) {
        if (mainError === undefined && takeOver !== undefined) {
          try {
            takeOver(t);
          } catch (error) {
            mainError = error;
          }
        }
        continue;
      }
      if (claim !== (seq | RUNNING))
        throw new Error(`backend-wasm: worker ${t} is out of step (claim ${claim})`);
      waitDone(t, seq);
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

  function check(kernel: KernelName, count: number, argc: number): number {
    if (disposed) throw new Error("backend-wasm: the runtime was disposed; create a new one");
    if (count > size) throw new Error(`backend-wasm: ${count} participants for a pool of ${size} threads`);
    if (argc > MAX_ARGS) throw new Error(`backend-wasm: ${kernel} takes at most ${MAX_ARGS} arguments`);
    return kernelIndex.get(kernel)!;
  }

  function run(kernel: KernelName, shares: readonly (readonly number[])[]): void {
    const id = check(kernel, shares.length, Math.max(0, ...shares.map((s) => s.length)));
    for (let t = 1; t < shares.length; t++) post(t, id, shares[t]!, 0, 0, 0);
    const fn = exports[kernel] as (...a: number[]) => void;
    let mainError: unknown;
    try {
      if (shares.length > 0) fn(...shares[0]!);
    } catch (error) {
      mainError = error;
    }
    finish(kernel, shares.length, mainError, (t) => fn(...shares[t]!));
  }

  function runChunks(
    kernel: KernelName,
    fixed: readonly number[],
    total: number,
    chunkSize: number,
    participants: number,
  ): void {
    const chunks = Math.ceil(total / chunkSize);
    const count = Math.min(participants, chunks);
    const id = check(kernel, count, fixed.length + 2);
    const share = [...fixed, 0, 0];
    Atomics.store(ctrl, COUNTER, 0);
    for (let t = 1; t < count; t++) post(t, id, share, chunks, chunkSize, total);
    const fn = exports[kernel] as (...a: number[]) => void;
    let mainError: unknown;
    try {
      for (let i = Atomics.add(ctrl, COUNTER, 1); i < chunks; i = Atomics.add(ctrl, COUNTER, 1)) {
        share[share.length - 2] = i * chunkSize;
        share[share.length - 1] = Math.min(total, (i + 1) * chunkSize);
        fn(...share);
      }
    } catch (error) {
      mainError = error;
      // Let the workers drain the remaining chunks' indices without the main thread.
    }
    finish(kernel, count, mainError);
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

  return { size, run, runChunks, dispose };
}
