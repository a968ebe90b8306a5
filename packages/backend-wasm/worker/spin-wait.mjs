// Waiting on a word of shared memory: poll while that is likely to pay, then block. Plain .mjs, like
// pool-worker.mjs (which imports it), so worker threads load it untransformed; thread-pool.ts uses the
// same code for the main thread's waits.

/**
 * Makes a waiter for one thread. `waitWhileEqual(ctrl, at, value)` returns the first value of
 * `ctrl[at]` that differs from `value`. It polls first (kernel calls often come back to back, and a
 * blocked thread takes ~20–50 µs to wake) and then blocks in Atomics.wait, so an idle pool costs no
 * CPU. The polling budget adapts: it doubles after a poll phase that saw the change and halves after
 * one that did not, between `minPolls` and `maxPolls`; and a phase stops after `maxMicros` of wall
 * time whatever its budget, so on a machine where another process holds a core — where the
 * scheduler stretches every poll loop and a polling thread only takes the core from a thread that has
 * work — a thread gives its core up within microseconds instead of polling through its time slice.
 */
export function spinWaiter({ maxPolls, maxMicros = 60, minPolls = 64 }) {
  let budget = maxPolls;
  const maxMs = maxMicros / 1000;
  return function waitWhileEqual(ctrl, at, value) {
    let current = Atomics.load(ctrl, at);
    if (current !== value) return current;
    const start = performance.now();
    for (let poll = 1; poll <= budget; poll++) {
      current = Atomics.load(ctrl, at);
      if (current !== value) {
        budget = Math.min(maxPolls, budget * 2);
        return current;
      }
      if ((poll & 63) === 0 && performance.now() - start > maxMs) break;
    }
    budget = Math.max(minPolls, budget >> 1);
    while (current === value) {
      Atomics.wait(ctrl, at, value);
      current = Atomics.load(ctrl, at);
    }
    return current;
  };
}
