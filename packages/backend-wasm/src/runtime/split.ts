/**
 * Splits [0, total) into at most `parts` contiguous ranges whose boundaries are multiples of `align`
 * (the last range ends at `total`); never returns empty ranges.
 *
 * @example
 * splitRange(10, 2, 4); // [[0, 8], [8, 10]]
 */
export function splitRange(total: number, parts: number, align = 1): [number, number][] {
  const units = Math.ceil(total / align);
  const n = Math.max(1, Math.min(parts, units));
  const ranges: [number, number][] = [];
  let start = 0;
  for (let i = 0; i < n; i++) {
    const endUnits = Math.round(((i + 1) * units) / n);
    const end = Math.min(total, endUnits * align);
    if (end > start) ranges.push([start, end]);
    start = end;
  }
  return ranges;
}

/** How many threads a problem of `work` units deserves, given `minPerThread` units per thread. */
export function threadsFor(work: number, minPerThread: number, available: number): number {
  return Math.max(1, Math.min(available, Math.floor(work / minPerThread)));
}
