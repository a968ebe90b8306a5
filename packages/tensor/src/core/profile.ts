import type { Primitive } from "../primitives/primitive.js";

/**
 * Per-primitive timing, switched on with `setProfiling(true)` (the examples do so when
 * SCRATCHGRAD_PROFILE=1). Timing is of the synchronous kernel call, which on CPU backends is the
 * computation itself. The table is a cache of measurements: it never changes results.
 */
let enabled = false;
const totals = new Map<string, { ms: number; calls: number }>();

export const setProfiling = (on: boolean): void => {
  enabled = on;
};

export const isProfiling = (): boolean => enabled;

export const addProfileSample = (primitive: Primitive | string, ms: number): void => {
  const t = totals.get(primitive) ?? { ms: 0, calls: 0 };
  t.ms += ms;
  t.calls += 1;
  totals.set(primitive, t);
};

/** Accumulated time per primitive since the last reset, slowest first. */
export const profileSnapshot = (): { primitive: string; ms: number; calls: number }[] =>
  [...totals.entries()].map(([primitive, t]) => ({ primitive, ...t })).sort((a, b) => b.ms - a.ms);

export const resetProfile = (): void => totals.clear();

/** A printable table of `profileSnapshot()`, e.g. per training step. */
export const formatProfile = (steps = 1): string => {
  const rows = profileSnapshot();
  const total = rows.reduce((s, r) => s + r.ms, 0);
  // the first column is as wide as the longest name ("crossEntropy backward (fused)")
  const width = Math.max("primitive".length, ...rows.map((r) => r.primitive.length));
  const lines = rows.map(
    (r) =>
      `${r.primitive.padEnd(width)} ${(r.ms / steps).toFixed(2).padStart(10)} ms ${((100 * r.ms) / (total || 1)).toFixed(1).padStart(6)}% ${String(Math.round(r.calls / steps)).padStart(6)} calls`,
  );
  return [
    `${"primitive".padEnd(width)} ${"ms/step".padStart(13)} ${"share".padStart(7)} ${"calls/step".padStart(12)}`,
    ...lines,
    `${"total".padEnd(width)} ${(total / steps).toFixed(2).padStart(10)} ms`,
  ].join("\n");
};
