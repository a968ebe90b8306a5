// Waiting on a word of shared memory: poll while that is likely to pay, then block. Plain .mjs, like
// pool-worker.mjs (which imports it), so worker threads load it untransformed; thread-pool.ts uses the
// same code for the main thread's waits.

/**
 * Makes a waiter for one thread. `waitWhileEqual(ctrl, at, value)` returns the first value of
 * `ctrl[at]` that differs from `value`. It polls first (kernel calls often come back to back, and a
 * blocked thread takes ~20–50 µs to wake) and then blocks in Atomics.wait, so an idle pool costs no
 * CPU. By default it polls `maxPolls` times (~0.1 ms). Two options can make it give its core up
 * sooner on a busy machine: `minPolls` < `maxPolls` makes the budget adapt (doubling after a poll
 * phase that saw the change, halving after one that did not), and `maxMicros` caps a phase's wall
 * time. Measured on a quiet AMD EPYC (Zen 5), 64..20,000 polls with a 60 µs cap made a BERT step 15%
 * slower (2.69 → 2.29 it/s: gaps between kernels are often longer than 60 µs, and each wake-up then
 * costs more than the polling saved) and did not help two trainings sharing the 2 cores, so both
 * are off by default. `canBlock: false` (a browser page's main thread, where Atomics.wait throws) polls
 * until the change, however long.
 */
export function spinWaiter({ maxPolls, maxMicros = Infinity, minPolls = maxPolls, canBlock = true }) {
  let budget = maxPolls;
  const maxMs = maxMicros / 1000;
  const capped = maxMicros !== Infinity;
  return function waitWhileEqual(ctrl, at, value) {
    let current = Atomics.load(ctrl, at);
    if (current !== value) return current;
    const start = capped ? performance.now() : 0;
    for (let poll = 1; poll <= budget; poll++) {
      current = Atomics.load(ctrl, at);
      if (current !== value) {
        budget = Math.min(maxPolls, budget * 2);
        return current;
      }
      if (capped && (poll & 63) === 0 && performance.now() - start > maxMs) break;
    }
    budget = Math.max(minPolls, budget >> 1);
    if (!canBlock) {
      while (current === value) current = Atomics.load(ctrl, at);
      return current;
    }
    while (current === value) {
      Atomics.wait(ctrl, at, value);
      current = Atomics.load(ctrl, at);
    }
    return current;
  };
}
