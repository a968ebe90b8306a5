import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitRange, threadsFor } from "./split.js";

describe("splitRange", () => {
  it("covers [0, total) with aligned, non-empty, ordered ranges, at most `parts` of them", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 16 }),
        fc.constantFrom(1, 4, 8, 16),
        (total, parts, align) => {
          const ranges = splitRange(total, parts, align);
          expect(ranges.length).toBeLessThanOrEqual(parts);
          expect(ranges[0]![0]).toBe(0);
          expect(ranges.at(-1)![1]).toBe(total);
          ranges.forEach(([start, end], i) => {
            expect(end).toBeGreaterThan(start);
            if (i > 0) expect(start).toBe(ranges[i - 1]![1]);
            if (i < ranges.length - 1) expect(end % align).toBe(0);
          });
        },
      ),
    );
  });

  it("balances to within one alignment unit", () => {
    const sizes = splitRange(1000, 3, 8).map(([s, e]) => e - s);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(16);
  });
});

describe("threadsFor", () => {
  it("keeps small work on one thread and never exceeds the pool", () => {
    expect(threadsFor(10, 100, 4)).toBe(1);
    expect(threadsFor(250, 100, 4)).toBe(2);
    expect(threadsFor(1e9, 100, 4)).toBe(4);
  });
});
