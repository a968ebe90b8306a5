// One worker of the backend-wasm thread pool. Plain .mjs on purpose: vitest and tsx do not transform
// TypeScript inside worker threads.
//
// Protocol (Int32Array `control`, one 32-int slot per worker so slots sit on separate cache lines):
//   slot[0] seq    the main thread bumps it to post a job (-1 asks the worker to exit)
//   slot[1] done   the worker sets it to seq when the job has finished
//   slot[2] kernel index into `kernelNames`
//   slot[3] argc   number of f64 arguments in this worker's slot of `args`
//   slot[4] error  1 when the kernel threw (a wasm trap), for the main thread to report
// The worker spins a bounded number of times on seq (jobs often come back to back) before blocking
// in Atomics.wait, so an idle pool costs no CPU.
import { parentPort, workerData } from "node:worker_threads";

const { module, memory, control, args, index, kernelNames, spinIterations } = workerData;
const instance = new WebAssembly.Instance(module, { env: { memory } });
const kernels = kernelNames.map((name) => instance.exports[name]);
const ctrl = new Int32Array(control);
const argv64 = new Float64Array(args);
const base = index * 32;
const argBase = index * 32;
const argv = [];

parentPort.postMessage("ready");

let seen = 0;
for (;;) {
  let seq = Atomics.load(ctrl, base);
  for (let spin = 0; seq === seen; spin++) {
    if (spin >= spinIterations) {
      Atomics.wait(ctrl, base, seen);
      spin = 0;
    }
    seq = Atomics.load(ctrl, base);
  }
  if (seq < 0) break;
  seen = seq;
  const argc = ctrl[base + 3];
  argv.length = argc;
  for (let i = 0; i < argc; i++) argv[i] = argv64[argBase + i];
  try {
    kernels[ctrl[base + 2]].apply(null, argv);
  } catch {
    ctrl[base + 4] = 1;
  }
  Atomics.store(ctrl, base + 1, seq);
  Atomics.notify(ctrl, base + 1);
}
