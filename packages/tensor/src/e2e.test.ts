import { describe, expect, it } from "vitest";
import * as sg from "./index.js";
import { onBackend, testBackends } from "./test-utils/check.js";

describe.each(testBackends)("end to end on %s", (_name, backend) => {
  it("fits y = Wx + b by gradient descent to near-zero loss", () => {
    onBackend(backend, () => {
      const [kx, kw] = sg.random.split(sg.random.key(42));
      const trueW = sg.random.normal(kw!, [3, 2]);
      const trueB = sg.tensor([0.5, -1]);
      const x = sg.random.normal(kx!, [64, 3]);
      const y = sg.add(sg.matmul(x, trueW), trueB);
      const loss = (p: { w: sg.Tensor; b: sg.Tensor }) =>
        sg.mean(sg.square(sg.sub(sg.add(sg.matmul(x, p.w), p.b), y)));
      let params = { w: sg.zeros([3, 2]), b: sg.zeros([2]) };
      const initial = sg.scope(() => loss(params).item());
      for (let step = 0; step < 300; step++) {
        const next = sg.scope(() =>
          sg.treeZip([params, sg.grad(loss)(params)], ([p, g]) => sg.sub(p!, sg.mul(g!, 0.1))),
        );
        sg.disposeReplaced(params, next);
        params = next;
      }
      const final = sg.scope(() => loss(params).item());
      expect(initial).toBeGreaterThan(0.5);
      expect(final).toBeLessThan(1e-8);
      const w = Array.from(params.w.data());
      for (const [i, v] of Array.from(trueW.data()).entries()) expect(w[i]).toBeCloseTo(v, 4);
    });
  });
});
