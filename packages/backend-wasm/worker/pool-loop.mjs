// The loop of one worker of the backend-wasm thread pool, the same under Node (pool-worker.mjs) and in
// a browser (pool-worker-browser.mjs). Plain .mjs on purpose: vitest and tsx do not transform
// TypeScript inside worker threads.
//
// Protocol (Int32Array `control`, one 32-int slot per participant so slots sit on separate cache lines):
//   slot[0] seq     the main thread bumps it to post a job (-1 asks the worker to exit)
//   slot[1] done    the worker sets it to seq when the job has finished
//   slot[2] kernel  index into `kernelNames`
//   slot[3] argc    number of f64 arguments in this worker's row of `args`
//   slot[4] error   1 when the kernel threw (a wasm trap), for the main thread to report
//   slot[5] chunks  0: call the kernel once with the arguments as given. n > 0: the last two
//                   arguments are a range; claim chunk indices i < n from the shared counter
//                   (control[0], in the main thread's slot) and call the kernel on
//                   [i * size, min(total, (i + 1) * size)) until none are left
//   slot[6] size, slot[7] total   chunk size and end of the chunked range
//   slot[8] claim   seq while the job waits for this worker; the worker swaps in seq | RUNNING
//                   before starting, and the main thread swaps in CANCELLED when it would rather do
//                   the share itself than wait for a worker that has not woken up (a busy machine)
// The worker polls seq briefly (jobs often come back to back) before blocking in Atomics.wait, with
// the adaptive, wall-clock-capped budget of spin-wait.mjs, so an idle pool costs no CPU and a busy
// machine gets its core back.
import { spinWaiter } from "./spin-wait.mjs";

/**
 * Instantiates the kernels over the shared memory, calls `ready()`, then serves jobs until the main
 * thread posts seq -1. Blocks its thread (Atomics.wait) between jobs: run it only in a worker.
 */
export function runPoolWorker({ module, memory, control, args, index, kernelNames, spinIterations }, ready) {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const kernels = kernelNames.map((name) => instance.exports[name]);
  const ctrl = new Int32Array(control);
  const argv64 = new Float64Array(args);
  const base = index * 32;
  const argv = [];
  const RUNNING = 0x40000000;

  ready();

  const waitWhileEqual = spinWaiter({ maxPolls: spinIterations });
  let seen = 0;
  for (;;) {
    const seq = waitWhileEqual(ctrl, base, seen);
    if (seq < 0) break;
    seen = seq;
    // Lost the race: the main thread cancelled this job (and may already have posted the next one).
    if (Atomics.compareExchange(ctrl, base + 8, seq, seq | RUNNING) !== seq) continue;
    const argc = ctrl[base + 3];
    argv.length = argc;
    for (let i = 0; i < argc; i++) argv[i] = argv64[base + i];
    const kernel = kernels[ctrl[base + 2]];
    const chunks = ctrl[base + 5];
    try {
      if (chunks === 0) {
        kernel.apply(null, argv);
      } else {
        const size = ctrl[base + 6];
        const total = ctrl[base + 7];
        for (let i = Atomics.add(ctrl, 0, 1); i < chunks; i = Atomics.add(ctrl, 0, 1)) {
          argv[argc - 2] = i * size;
          argv[argc - 1] = Math.min(total, (i + 1) * size);
          kernel.apply(null, argv);
        }
      }
    } catch {
      ctrl[base + 4] = 1;
    }
    Atomics.store(ctrl, base + 1, seq);
    Atomics.notify(ctrl, base + 1);
  }
}
