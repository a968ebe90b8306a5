/**
 * Milliseconds per call of `fn` after 5 warm-up calls: the median of `repeats` timed calls, or the
 * fastest with `best` (closer to an uncontended run on a shared machine).
 * @example const ms = timePerCall(() => rt.gemm(args), { repeats: 15, best: false });
 */
export function timePerCall(fn: () => void, { repeats, best }: { repeats: number; best: boolean }): number {
  for (let i = 0; i < 5; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return best ? times[0]! : times[Math.floor(times.length / 2)]!;
}
