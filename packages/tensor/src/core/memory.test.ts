import { describe, expect, it } from "vitest";
import * as sg from "../index.js";
import { onBackend, testBackends } from "../test-utils/check.js";

describe.each(testBackends)("buffer ownership on %s", (_name, backend) => {
  it("scope releases intermediates and keeps what it returns", () => {
    onBackend(backend, () => {
      const before = backend.liveBuffers();
      const x = sg.tensor([1, 2, 3]);
      let inner: sg.Tensor | undefined;
      const y = sg.scope(() => {
        inner = sg.mul(x, x);
        return sg.sum(inner);
      });
      expect(y.item()).toBe(14);
      expect(inner!.isDisposed).toBe(true);
      expect(() => inner!.data()).toThrow(sg.DisposedTensorError);
      sg.dispose([x, y]);
      expect(backend.liveBuffers()).toBe(before);
    });
  });

  it("a throwing scope releases everything it created", () => {
    onBackend(backend, () => {
      const before = backend.liveBuffers();
      expect(() =>
        sg.scope(() => {
          sg.mul(sg.ones([3]), 2);
          throw new Error("boom");
        }),
      ).toThrow("boom");
      expect(backend.liveBuffers()).toBe(before);
    });
  });

  it("reshape shares the buffer; it is freed when the last view goes", () => {
    onBackend(backend, () => {
      const before = backend.liveBuffers();
      const x = sg.tensor([1, 2, 3, 4]);
      const v = sg.reshape(x, [2, 2]);
      x.dispose();
      expect(v.toArray()).toEqual([
        [1, 2],
        [3, 4],
      ]);
      v.dispose();
      expect(backend.liveBuffers()).toBe(before);
    });
  });

  it("a 1,000-step training loop keeps the live-buffer count flat", () => {
    onBackend(backend, () => {
      const x = sg.random.normal(sg.random.key(0), [16, 4]);
      const y = sg.matmul(x, sg.tensor([[1], [-2], [0.5], [3]]));
      let params = { w: sg.zeros([4, 1]), b: sg.zeros([1]) };
      const loss = (p: typeof params) => sg.mean(sg.square(sg.sub(sg.add(sg.matmul(x, p.w), p.b), y)));
      const counts: number[] = [];
      for (let step = 0; step < 1000; step++) {
        const next = sg.scope(() => {
          const [, g] = sg.valueAndGrad(loss)(params);
          return sg.treeZip([params, g], ([p, d]) => sg.sub(p!, sg.mul(d!, 0.1)));
        });
        sg.disposeReplaced(params, next);
        params = next;
        counts.push(backend.liveBuffers());
      }
      expect(new Set(counts.slice(1)).size).toBe(1);
      expect(sg.scope(() => loss(params).item())).toBeLessThan(1e-6);
    });
  });
});
