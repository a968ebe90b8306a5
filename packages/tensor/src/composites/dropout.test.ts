import { describe, expect, it, vi } from "vitest";
import type { Backend } from "../backends/backend.js";
import { gpujsBackend } from "../backends/gpujs/default.js";
import { withBackend } from "../backends/select.js";
import * as sg from "../index.js";

// A cpu backend with a dropoutMultiplier hook that hands out a recognisable mask (element i is i + 1),
// so a test can tell whose mask `dropout` multiplied by.
const withHook = (): Backend & { hook: ReturnType<typeof vi.fn> } => {
  const base = gpujsBackend("cpu");
  const hook = vi.fn((_key: sg.random.Key, shape: readonly number[], _p: number) =>
    base.upload(
      Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i + 1),
      "float32",
    ),
  );
  return Object.assign(Object.create(base) as Backend, { dropoutMultiplier: hook, hook });
};

describe("dropout's Backend.dropoutMultiplier hook", () => {
  it("is called with (key, shape, p) and its buffer is the mask; the buffer is released", () => {
    const backend = withHook();
    withBackend(backend, () => {
      const before = backend.liveBuffers();
      sg.scope(() => {
        const x = sg.full([2, 3], 2);
        const k = sg.random.key(5);
        expect(Array.from(sg.dropout(k, x, 0.25).data())).toEqual([2, 4, 6, 8, 10, 12]);
        expect(backend.hook).toHaveBeenCalledWith(k, [2, 3], 0.25);
        // eval mode and p = 0 never draw a mask
        sg.dropout(k, x, 0.25, false);
        sg.dropout(k, x, 0);
        expect(backend.hook).toHaveBeenCalledTimes(1);
      });
      expect(backend.liveBuffers()).toBe(before);
    });
  });

  it("validates p before calling the hook", () => {
    const backend = withHook();
    withBackend(backend, () => {
      const x = sg.ones([3]);
      expect(() => sg.dropout(sg.random.key(0), x, -0.5)).toThrow(/p must be in \[0, 1\)/);
      expect(backend.hook).not.toHaveBeenCalled();
      x.dispose();
    });
  });
});
